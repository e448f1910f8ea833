import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/shell/PageTitle";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { PASSWORD_MIN } from "@/lib/auth/password";
import { ChangePasswordForm } from "@/components/account/ChangePasswordForm";

export default async function AccountPage() {
  const { actor } = await guardPage(ANY_ROLE, "/account");
  const t = await getTranslations("account");
  return (
    <>
      <PageTitle>{t("title", { name: actor.displayName })}</PageTitle>
      <ChangePasswordForm passwordMin={PASSWORD_MIN} />
    </>
  );
}
