"use client";
// Two series side by side per category — this period and the same period a year earlier — so a reader compares
// each pair at a glance. Horizontal (labels on the left: long industry or reason names stay whole) or vertical
// (short month labels under the bars). A click on a bar opens the list behind it, for the window it belongs to.
import { useMemo } from "react";
import { EChart } from "./EChart";

export type CompareSeries = { name: string; colour: string; values: number[] };

export function CompareChart({
  categories,
  current,
  previous,
  label,
  format,
  onSelect,
  vertical,
  height,
}: {
  categories: string[];
  current: CompareSeries;
  previous: CompareSeries;
  /** Accessible name of the chart. */
  label: string;
  format: (v: number) => string;
  /** index of the category; which = 0 for the current series, 1 for the year earlier. */
  onSelect?: (index: number, which: 0 | 1) => void;
  vertical?: boolean;
  height?: number;
}) {
  const clickable = onSelect !== undefined;
  const option = useMemo(() => {
    const cat = { type: "category", data: categories, axisTick: { show: false }, axisLabel: { fontSize: 12, hideOverlap: true } };
    const val = { type: "value", axisLabel: { formatter: (v: number) => format(v) } };
    return {
      aria: { enabled: true },
      legend: { top: 0 },
      grid: { left: 8, right: vertical ? 8 : 64, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v: unknown) => format(Number(v)) },
      xAxis: vertical ? cat : { ...val, show: false },
      yAxis: vertical ? val : { ...cat, inverse: true },
      series: [current, previous].map((s) => ({
        type: "bar",
        name: s.name,
        data: s.values,
        itemStyle: { color: s.colour },
        barMaxWidth: 18,
        label: vertical ? undefined : { show: true, position: "right", fontSize: 11, formatter: (p: { value: number }) => format(p.value) },
        cursor: clickable ? "pointer" : "default",
      })),
    };
  }, [categories, current, previous, format, clickable, vertical]);

  return (
    <EChart
      option={option}
      label={label}
      height={height ?? (vertical ? 300 : Math.max(140, 48 + categories.length * 44))}
      onSelect={onSelect && ((i, series) => onSelect(i, series === 1 ? 1 : 0))}
    />
  );
}
