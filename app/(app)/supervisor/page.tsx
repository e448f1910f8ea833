import { Card } from "antd";
import { getLocale, getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { RmOverviewTable } from "@/components/customers/RmOverviewTable";
import { Dashboard, type DashboardParams } from "@/components/dashboard/Dashboard";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { branchOverview } from "@/lib/customers/queries";
import { dashboardQuerySchema, resolvePeriod } from "@/lib/dashboard/period";
import { dashboard } from "@/lib/dashboard/queries";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { now } from "@/lib/tasks/api";
import { todayIn } from "@/lib/time";
import { listBranches } from "@/lib/users/service";

type Search = Record<string, string | string[] | undefined>;

// The supervisor's home: the dashboard of their branch (admins: the bank, or a branch they pick), for the period in
// the address bar (the current month by default), then the branch's RMs at a glance.
export default async function SupervisorHome({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor, scope } = await guardPage(["supervisor", "admin"], "/supervisor");
  const t = await getTranslations("dashboard");
  const ts = await getTranslations("supervisorHome");
  const en = (await getLocale()) === "en";
  const sp = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const parsed = dashboardQuerySchema.safeParse(sp);
  // A malformed address falls back to the default view rather than failing the home page.
  const params: DashboardParams = parsed.success ? parsed.data : {};
  const at = await now();
  const today = todayIn(undefined, at);
  const load = (p: DashboardParams) => dashboard(db(), scope, { branchId: p.branchId, period: resolvePeriod(p, today), now: at, today });
  const [data, branches, perRm] = await Promise.all([
    load(params).catch((e: unknown) => {
      // Another branch than the supervisor's own, or one that does not exist: as if the page did not exist.
      if (e instanceof NotFound) notFound();
      throw e;
    }),
    listBranches(db()),
    actor.role === "supervisor" ? branchOverview(db(), scope) : Promise.resolve(null),
  ]);
  const shown = branches.find((b) => b.id === data.branchId);
  return (
    <>
      <PageTitle>{shown ? t("title", { branch: en ? shown.nameEn : shown.name }) : t("titleBank")}</PageTitle>
      <Dashboard
        initial={data}
        initialParams={params}
        branches={actor.role === "admin" ? branches.map((b) => ({ id: b.id, name: b.name, nameEn: b.nameEn })) : null}
      />
      {perRm && (
        <Card title={ts("byRm")} size="small" style={{ marginTop: 16 }}>
          <RmOverviewTable rows={perRm} />
        </Card>
      )}
    </>
  );
}
