import { getTranslations } from "next-intl/server";
import { MyScore, type ScoreLine } from "@/components/incentives/MyScore";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { clockNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { ledgerEntries, listPeriods, periodReview } from "@/lib/incentives/queries";
import { todayIn } from "@/lib/time";

// The RM's own score: their line of every period, what awaits verification and every entry with its evidence.
export default async function MyScorePage() {
  const { actor, scope } = await guardPage(["rm"], "/rm/score");
  const t = await getTranslations("incentives");
  const periods = (await listPeriods(db(), scope)).filter((p) => p.entries > 0);
  const lines: ScoreLine[] = [];
  for (const p of periods) {
    const mine = (await periodReview(db(), scope, p.period)).rms.find((r) => r.rmId === actor.userId);
    if (mine) lines.push({ period: p.period, status: p.status, payable: mine.payable, pending: mine.pending, gains: mine.gains, capped: mine.capped, losses: mine.losses, adjustments: mine.adjustments });
  }
  const entries = await ledgerEntries(db(), scope, {}, actor.userId);
  const current = todayIn(undefined, await clockNow(db())).slice(0, 7);
  return (
    <>
      <PageTitle>{t("myScoreTitle")}</PageTitle>
      <Hint>{t("myScoreHint")}</Hint>
      <MyScore lines={lines} entries={entries} current={current} />
    </>
  );
}
