import { getTranslations } from "next-intl/server";
import { NotificationCentre } from "@/components/notifications/NotificationCentre";
import { PageTitle } from "@/components/shell/PageTitle";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";

export default async function NotificationsPage() {
  await guardPage(ANY_ROLE, "/notifications");
  const t = await getTranslations("notifications");
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <NotificationCentre />
    </>
  );
}
