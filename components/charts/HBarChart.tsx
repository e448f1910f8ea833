"use client";
// Horizontal bars (category labels on the left, so long Chinese or English names are not cut), one series, and a
// click on a bar that opens the list behind it.
import { useMemo } from "react";
import { EChart } from "./EChart";

export function HBarChart({
  categories,
  values,
  colours,
  label,
  format,
  onSelect,
  height,
}: {
  categories: string[];
  values: number[];
  colours?: string[];
  /** Accessible name of the chart. */
  label: string;
  /** The value as shown on the bar and in the tooltip. */
  format: (v: number) => string;
  onSelect?: (index: number) => void;
  height?: number;
}) {
  const clickable = onSelect !== undefined;
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v: unknown) => format(Number(v)) },
      xAxis: { type: "value", show: false },
      yAxis: { type: "category", data: categories, inverse: true, axisTick: { show: false }, axisLabel: { fontSize: 12 } },
      series: [
        {
          type: "bar",
          data: values.map((v, i) => ({ value: v, itemStyle: { color: colours?.[i] ?? "#1d4ed8" } })),
          barMaxWidth: 22,
          label: { show: true, position: "right", formatter: (p: { value: number }) => format(p.value) },
          cursor: clickable ? "pointer" : "default",
        },
      ],
    }),
    [categories, values, colours, format, clickable],
  );
  return <EChart option={option} label={label} height={height ?? Math.max(120, 24 + categories.length * 34)} onSelect={onSelect} />;
}
