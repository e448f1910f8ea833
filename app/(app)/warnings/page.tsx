import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/shell/PageTitle";
import { WarningTable } from "@/components/warnings/WarningTable";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listRuleOptions, warningQuerySchema } from "@/lib/warnings/queries";

type Search = Record<string, string | string[] | undefined>;

/** Filters from the address bar (the dashboard links here); anything malformed is dropped rather than failing the page. */
function initialFilters(sp: Search) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sp)) {
    if (typeof v !== "string" || v === "" || k === "page" || k === "pageSize") continue;
    const one = warningQuerySchema.shape[k as keyof typeof warningQuerySchema.shape]?.safeParse(v);
    if (one?.success) out[k] = one.data;
  }
  return out;
}

export default async function WarningsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await guardPage(ANY_ROLE, "/warnings");
  const t = await getTranslations("warnings");
  const rules = await listRuleOptions(db());
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <WarningTable rules={rules} initial={initialFilters(await searchParams)} />
    </>
  );
}
