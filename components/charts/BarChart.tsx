"use client";
// A small bar chart: one series of values by category.
import { useMemo } from "react";
import { EChart } from "./EChart";

export function BarChart({
  categories,
  values,
  seriesName,
  unit,
  label,
  height = 300,
}: {
  categories: string[];
  values: number[];
  seriesName: string;
  unit: string;
  /** Accessible name of the chart: what it compares. */
  label: string;
  height?: number;
}) {
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: (v: unknown) => `${Number(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${unit}`,
      },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", name: unit, nameTextStyle: { align: "left" } },
      series: [{ type: "bar", name: seriesName, data: values, itemStyle: { color: "#1d4ed8" }, barMaxWidth: 40 }],
    }),
    [categories, values, seriesName, unit],
  );
  return <EChart option={option} label={label} height={height} />;
}
