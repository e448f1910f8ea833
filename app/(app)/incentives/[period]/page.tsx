import { getTranslations } from "next-intl/server";
import { PeriodReview } from "@/components/incentives/PeriodReview";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound } from "@/lib/http/page";
import { listAdjustments, listRms, periodReview } from "@/lib/incentives/queries";

// One period: HR reviews, adjusts, locks and exports; a supervisor sees their branch's RMs ranked, read-only.
export default async function PeriodPage({ params }: { params: Promise<{ period: string }> }) {
  const { period } = await params;
  const { actor, scope } = await guardPage(["hr", "admin", "supervisor"], `/incentives/${encodeURIComponent(period)}`);
  const t = await getTranslations("incentives");
  const review = await orNotFound(periodReview(db(), scope, period));
  const canEdit = actor.role === "hr" || actor.role === "admin";
  const adjustments = canEdit ? await listAdjustments(db(), scope, period) : [];
  const rmOptions = canEdit ? await listRms(db(), scope) : [];
  return (
    <>
      <PageTitle>{t("periodTitle", { period })}</PageTitle>
      <Hint>{t(canEdit ? "periodHint" : "periodHintBranch")}</Hint>
      <PeriodReview review={review} adjustments={adjustments} canEdit={canEdit} selfId={actor.userId} rmOptions={rmOptions} />
    </>
  );
}
