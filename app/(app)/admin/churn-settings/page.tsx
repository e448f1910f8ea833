import { getTranslations } from "next-intl/server";
import { ChurnSettingsForm } from "@/components/churn/ChurnSettingsForm";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { loadChurnParams } from "@/lib/churn/settings";
import { db } from "@/lib/db/client";

export default async function ChurnSettingsPage() {
  await guardPage(["admin"], "/admin/churn-settings");
  const t = await getTranslations("churnSettings");
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <ChurnSettingsForm initial={await loadChurnParams(db())} />
    </>
  );
}
