"use client";
// The two LPR series as step lines: a rate holds from its effective date until the next one (and up to today).
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { EChart } from "@/components/charts/EChart";
import type { RateRow } from "@/lib/reference/rates";

const COLOURS = { LPR1Y: "#1d4ed8", LPR5Y: "#d97706" } as const;

export function RatesChart({ rates, today, height = 260 }: { rates: RateRow[]; today: string; height?: number }) {
  const t = useTranslations("reference");
  const series = useMemo(
    () =>
      (["LPR1Y", "LPR5Y"] as const).map((kind) => {
        const pts = rates.filter((r) => r.kind === kind).sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn));
        const data: [string, number][] = pts.map((r) => [r.effectiveOn, r.ratePct]);
        const last = pts[pts.length - 1];
        if (last && last.effectiveOn < today) data.push([today, last.ratePct]);
        return { kind, data };
      }),
    [rates, today],
  );
  const option = useMemo(
    () => ({
        animation: false,
        grid: { left: 48, right: 24, top: 36, bottom: 28 },
        legend: { top: 0 },
        tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (typeof v === "number" ? `${v.toFixed(2)}%` : String(v)) },
        xAxis: { type: "time", axisLabel: { formatter: "{yyyy}-{MM}", hideOverlap: true } },
        yAxis: { type: "value", scale: true, axisLabel: { formatter: (v: number) => `${v.toFixed(2)}%` } },
        series: series.map((s) => ({
          type: "line",
          name: t(`kinds.${s.kind}`),
          step: "end",
          data: s.data,
          symbol: "circle",
          symbolSize: 5,
          lineStyle: { color: COLOURS[s.kind], width: 2 },
          itemStyle: { color: COLOURS[s.kind] },
        })),
    }),
    [series, t],
  );
  return <EChart option={option} label={t("chartLabel")} height={height} />;
}
