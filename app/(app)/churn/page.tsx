import { getTranslations } from "next-intl/server";
import { ChurnEventTable, type ChurnFilters } from "@/components/churn/ChurnEventTable";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { churnQuerySchema } from "@/lib/churn/queries";
import { mayDecide } from "@/lib/churn/service";
import { db } from "@/lib/db/client";
import { listBranches } from "@/lib/users/service";

type Search = Record<string, string | string[] | undefined>;

// The churn event list; the filters in the address bar (the dashboard's drill-downs) are its first view. A filter
// that does not parse is dropped rather than failing the page.
export default async function ChurnPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor } = await guardPage(["rm", "supervisor", "admin", "hr"], "/churn");
  const t = await getTranslations("churn");
  const sp = Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "");
  const initial: Record<string, unknown> = {};
  for (const [k, v] of sp) {
    const one = churnQuerySchema.safeParse({ [k]: v });
    if (one.success && k in one.data) initial[k] = (one.data as Record<string, unknown>)[k];
  }
  const { page: _p, pageSize: _s, customerId: _c, ...filters } = initial as ChurnFilters & { page?: number; pageSize?: number; customerId?: number };
  const branches = actor.role === "admin" || actor.role === "hr" ? (await listBranches(db())).map((b) => ({ id: b.id, name: b.name, nameEn: b.nameEn })) : null;
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <ChurnEventTable canDecide={mayDecide(actor)} initialFilters={filters} branches={branches} />
    </>
  );
}
