import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/shell/PageTitle";
import { WarningTable } from "@/components/warnings/WarningTable";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listRuleOptions } from "@/lib/warnings/queries";

export default async function WarningsPage() {
  await guardPage(ANY_ROLE, "/warnings");
  const t = await getTranslations("warnings");
  const rules = await listRuleOptions(db());
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <WarningTable rules={rules} />
    </>
  );
}
