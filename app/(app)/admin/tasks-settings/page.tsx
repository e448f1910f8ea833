import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listCalendar, loadOpenThreshold, loadSla } from "@/lib/tasks/settings";
import { BusinessCalendar } from "@/components/tasks/settings/BusinessCalendar";
import { OpenThresholdForm } from "@/components/tasks/settings/OpenThresholdForm";
import { SlaPolicyForm } from "@/components/tasks/settings/SlaPolicyForm";

export default async function TaskSettingsPage() {
  await guardPage(["admin"], "/admin/tasks-settings");
  const t = await getTranslations("taskSettings");
  const [sla, threshold, days] = await Promise.all([loadSla(db()), loadOpenThreshold(db()), listCalendar(db())]);
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <SlaPolicyForm initial={sla} />
      <OpenThresholdForm initial={threshold} />
      <BusinessCalendar days={days} />
    </>
  );
}
