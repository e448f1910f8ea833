import { getTranslations } from "next-intl/server";
import { ApplicationTable, type ApplicationFilters } from "@/components/applications/ApplicationTable";
import { PageTitle } from "@/components/shell/PageTitle";
import { applicationQuerySchema } from "@/lib/applications/queries";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listBranches } from "@/lib/users/service";

type Search = Record<string, string | string[] | undefined>;

// Loan applications (the dashboard funnel's drill-down); the address bar's filters are the first view, and one that
// does not parse is dropped rather than failing the page.
export default async function ApplicationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor } = await guardPage(["rm", "supervisor", "admin", "hr"], "/applications");
  const t = await getTranslations("applications");
  const initial: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(await searchParams)) {
    if (typeof v !== "string" || v === "" || k === "page" || k === "pageSize") continue;
    const one = applicationQuerySchema.safeParse({ [k]: v });
    if (one.success && k in one.data) initial[k] = (one.data as Record<string, unknown>)[k];
  }
  const branches = actor.role === "admin" || actor.role === "hr" ? (await listBranches(db())).map((b) => ({ id: b.id, name: b.name, nameEn: b.nameEn })) : null;
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <ApplicationTable initialFilters={initial as ApplicationFilters} branches={branches} />
    </>
  );
}
