import { ReportList } from "@/components/reports/ReportList";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { monthBefore } from "@/lib/reports/period";
import { listReports } from "@/lib/reports/service";
import { now } from "@/lib/tasks/api";
import { listBranches } from "@/lib/users/service";
import { todayIn } from "@/lib/time";

export default async function ReportsPage() {
  const { actor, scope } = await guardPage(["supervisor", "admin"], "/reports");
  const [rows, branches] = await Promise.all([listReports(db(), scope), listBranches(db())]);
  const mine = actor.role === "admin" ? branches : branches.filter((b) => b.id === actor.branchId);
  return (
    <ReportList
      initial={rows}
      isAdmin={actor.role === "admin"}
      branches={mine.map((b) => ({ code: b.code, name: b.name, nameEn: b.nameEn }))}
      defaultPeriod={monthBefore(todayIn(undefined, await now()))}
    />
  );
}
