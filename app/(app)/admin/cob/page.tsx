import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { CobRuns } from "./CobRuns";

export default async function CobPage() {
  const { actor } = await guardPage(["admin", "supervisor"], "/admin/cob");
  const t = await getTranslations("cob");
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <CobRuns canStart={actor.role === "admin"} />
    </>
  );
}
