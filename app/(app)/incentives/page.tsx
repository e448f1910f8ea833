import { getTranslations } from "next-intl/server";
import { PeriodsList } from "@/components/incentives/PeriodsList";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listPeriods } from "@/lib/incentives/queries";

// Supervisors (their branch's RMs) and admins: the incentive periods, read-only for supervisors.
export default async function IncentivesPage() {
  const { scope } = await guardPage(["supervisor", "admin", "hr"], "/incentives");
  const t = await getTranslations("incentives");
  const periods = await listPeriods(db(), scope);
  return (
    <>
      <PageTitle>{t("periodsTitle")}</PageTitle>
      <Hint>{t(scope.kind === "branch" ? "periodsHintBranch" : "periodsHint")}</Hint>
      <PeriodsList rows={periods} />
    </>
  );
}
