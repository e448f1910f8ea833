import { getLocale, getTranslations } from "next-intl/server";
import { toPerson } from "@/components/users/person";
import { StaffTable } from "@/components/users/StaffTable";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listBranches, listUsers } from "@/lib/users/service";

// HR sees staff and how many customers each RM holds, never the customers themselves or their contacts.
export default async function HrHome() {
  await guardPage(["hr"], "/hr/staff");
  const t = await getTranslations("hrHome");
  const en = (await getLocale()) === "en";
  const [users, branches] = await Promise.all([listUsers(db()), listBranches(db())]);
  const staff = users
    .filter((u) => u.role === "rm" || u.role === "supervisor")
    .map(toPerson);
  return (
    <>
      <PageTitle>
        {t("title")}
      </PageTitle>
      <Hint>{t("subtitle")}</Hint>
      <StaffTable staff={staff} branches={branches.map((b) => ({ id: b.id, name: en ? b.nameEn : b.name }))} />
    </>
  );
}
