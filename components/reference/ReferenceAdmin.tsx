"use client";
// Two tabs: the LPR reference rates (chart + table) and the industry watch list. The tab is kept in ?tab= so a
// refresh or a shared link lands on the same one.
import { Tabs } from "antd";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import type { RateRow } from "@/lib/reference/rates";
import { RatesTab, type RateBounds } from "./RatesTab";
import { WatchlistTab, type WatchItem } from "./WatchlistTab";

type Tab = "rates" | "watchlist";

export function ReferenceAdmin({ initialTab, rates, watchlist, bounds }: { initialTab: Tab; rates: RateRow[]; watchlist: WatchItem[]; bounds: RateBounds }) {
  const t = useTranslations("reference");
  const router = useRouter();
  const pathname = usePathname();
  const [tab, setTab] = useState<Tab>(initialTab);
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => {
        setTab(k as Tab);
        router.replace(k === "rates" ? pathname : `${pathname}?tab=${k}`, { scroll: false });
      }}
      items={[
        { key: "rates", label: t("ratesTab", { n: rates.length }), children: <RatesTab rates={rates} bounds={bounds} /> },
        { key: "watchlist", label: t("watchTab", { n: watchlist.filter((w) => w.active).length }), children: <WatchlistTab entries={watchlist} /> },
      ]}
    />
  );
}
