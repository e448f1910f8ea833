import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { appQueues } from "@/lib/http/queues";
import { businessTz } from "@/lib/time";
import { cobScheduleStatus, loadCobTime, nextRunAfter, type CobScheduleStatus } from "@/lib/rules/schedule";
import { CobRuns } from "@/components/cob/CobRuns";
import { CobSchedule } from "@/components/cob/CobSchedule";

/** What Redis says about the scheduler; when Redis cannot answer, the stored time and a computed next run. */
async function scheduleStatus(): Promise<CobScheduleStatus & { redis: boolean }> {
  try {
    return { ...(await cobScheduleStatus(db(), appQueues())), redis: true };
  } catch (err) {
    log.warn({ err }, "cob scheduler status unavailable");
    const time = await loadCobTime(db());
    return { time, tz: businessTz(), pattern: null, next: nextRunAfter(time).toISOString(), inSync: false, redis: false };
  }
}

export default async function CobPage() {
  const { actor } = await guardPage(["admin", "supervisor"], "/admin/cob");
  const t = await getTranslations("cob");
  const status = await scheduleStatus();
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <CobSchedule status={status} canEdit={actor.role === "admin"} />
      <CobRuns canStart={actor.role === "admin"} time={status.time} />
    </>
  );
}
