import { getTranslations } from "next-intl/server";
import { ChurnEventTable } from "@/components/churn/ChurnEventTable";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { mayDecide } from "@/lib/churn/service";

export default async function ChurnPage() {
  const { actor } = await guardPage(["rm", "supervisor", "admin", "hr"], "/churn");
  const t = await getTranslations("churn");
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <ChurnEventTable canDecide={mayDecide(actor)} />
    </>
  );
}
