import { getLocale, getTranslations } from "next-intl/server";
import { CustomerTable, type CustomerFilters } from "@/components/customers/CustomerTable";
import { PageTitle } from "@/components/shell/PageTitle";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { branchOverview, customerQuerySchema } from "@/lib/customers/queries";
import { db } from "@/lib/db/client";
import { listBranches, listUsers } from "@/lib/users/service";

type Search = Record<string, string | string[] | undefined>;

/** Filters from the address bar; anything malformed is dropped rather than failing the page. */
function initialFilters(sp: Search): Partial<CustomerFilters> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sp)) {
    if (typeof v !== "string" || v === "") continue;
    const one = customerQuerySchema.shape[k as keyof typeof customerQuerySchema.shape]?.safeParse(v);
    if (one?.success) out[k] = one.data;
  }
  return out as Partial<CustomerFilters>;
}

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor, scope } = await guardPage(ANY_ROLE, "/customers");
  const t = await getTranslations("customers");
  const en = (await getLocale()) === "en";
  const seesAll = scope.kind === "all";
  const [branches, rms] = await Promise.all([
    seesAll ? listBranches(db()) : Promise.resolve(null),
    actor.role === "rm"
      ? Promise.resolve(null)
      : seesAll
        ? listUsers(db(), { role: "rm" }).then((us) => us.map((u) => ({ id: u.id, name: `${u.displayName} (${u.username})` })))
        : branchOverview(db(), scope).then((rows) => rows.map((r) => ({ id: r.rmId, name: r.rmName }))),
  ]);
  return (
    <>
      <PageTitle>
        {t("title")}
      </PageTitle>
      <CustomerTable
        syncUrl
        initial={initialFilters(await searchParams)}
        branches={branches?.map((b) => ({ id: b.id, name: en ? b.nameEn : b.name }))}
        rms={rms ?? undefined}
        showBranch={seesAll}
        showRm={actor.role !== "rm"}
        emptyHint={t(actor.role === "rm" ? "emptyRm" : "empty")}
      />
    </>
  );
}
