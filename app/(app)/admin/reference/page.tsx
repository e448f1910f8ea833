import { getLocale, getTranslations } from "next-intl/server";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listRates, RATE_BOUNDS } from "@/lib/reference/rates";
import { listWatchlist } from "@/lib/reference/watchlist";
import { todayIn } from "@/lib/time";
import { ReferenceAdmin } from "@/components/reference/ReferenceAdmin";

export default async function ReferencePage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const { scope } = await guardPage(["admin"], "/admin/reference");
  const t = await getTranslations("reference");
  const en = (await getLocale()) === "en";
  const [rates, watch, { tab }] = await Promise.all([listRates(db()), listWatchlist(db(), scope), searchParams]);
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <Hint>{t("hint")}</Hint>
      <ReferenceAdmin
        initialTab={tab === "watchlist" ? "watchlist" : "rates"}
        rates={rates}
        watchlist={watch.map((w) => ({ ...w, name: en ? w.nameEn : w.nameZh }))}
        bounds={{ minPct: RATE_BOUNDS.minPct, maxPct: RATE_BOUNDS.maxPct, today: todayIn() }}
      />
    </>
  );
}
