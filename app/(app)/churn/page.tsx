import { getTranslations } from "next-intl/server";
import { ChurnEventTable, type ChurnFilters } from "@/components/churn/ChurnEventTable";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { churnQuerySchema } from "@/lib/churn/queries";
import { mayDecide } from "@/lib/churn/service";

type Search = Record<string, string | string[] | undefined>;

/** Filters from the address bar (the telemetry links here); anything malformed is dropped rather than failing the page. */
function initialFilters(sp: Search): ChurnFilters {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sp)) {
    if (typeof v !== "string" || v === "" || k === "page" || k === "pageSize") continue;
    const one = churnQuerySchema.shape[k as keyof typeof churnQuerySchema.shape]?.safeParse(v);
    if (one?.success) out[k] = one.data;
  }
  return out as ChurnFilters;
}

export default async function ChurnPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor } = await guardPage(["rm", "supervisor", "admin", "hr"], "/churn");
  const t = await getTranslations("churn");
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <ChurnEventTable canDecide={mayDecide(actor)} initial={initialFilters(await searchParams)} />
    </>
  );
}
