"use client";
// RMs' active workload side by side: one stacked bar per RM (open / acknowledged / in progress).
import { useMemo } from "react";
import { EChart } from "@/components/charts/EChart";

export type WorkloadSeries = { name: string; colour: string; values: number[] };

export function WorkloadChart({ categories, series, label, axisName, height = 280 }: { categories: string[]; series: WorkloadSeries[]; label: string; axisName: string; height?: number }) {
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 12 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", name: axisName, minInterval: 1, nameTextStyle: { align: "left" } },
      series: series.map((s) => ({ type: "bar", name: s.name, stack: "load", data: s.values, itemStyle: { color: s.colour }, barMaxWidth: 40 })),
    }),
    [categories, series, axisName],
  );
  return <EChart option={option} label={label} height={height} />;
}
