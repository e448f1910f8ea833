"use client";
// Month by month: stacked bars of amounts (left axis) and a ratio line (right axis, percent). Month labels are
// short ("2026-05"), so both languages fit under the bars without rotating.
import { useMemo } from "react";
import { EChart } from "./EChart";

export function TrendChart({
  months,
  bars,
  line,
  unit,
  label,
  height = 320,
}: {
  months: string[];
  bars: { name: string; colour: string; values: number[] }[];
  line: { name: string; colour: string; values: (number | null)[] };
  unit: string;
  label: string;
  height?: number;
}) {
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (v == null ? "—" : String(v)) },
      xAxis: { type: "category", data: months, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: "value", name: unit, nameTextStyle: { align: "left" } },
        { type: "value", name: "%", position: "right", splitLine: { show: false }, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        ...bars.map((b) => ({ type: "bar", name: b.name, stack: "balance", data: b.values, itemStyle: { color: b.colour }, barMaxWidth: 28 })),
        { type: "line", name: line.name, yAxisIndex: 1, data: line.values, itemStyle: { color: line.colour }, lineStyle: { width: 2 }, symbolSize: 6, connectNulls: false },
      ],
    }),
    [months, bars, line, unit],
  );
  return <EChart option={option} label={label} height={height} />;
}
