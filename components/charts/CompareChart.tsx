"use client";
// Two series side by side per category — this period and the same period a year earlier — so a reader compares
// each pair at a glance. Horizontal (labels on the left: long industry or reason names stay whole) or vertical
// (short month labels under the bars). A click on a bar opens the list behind it, for the window it belongs to.
import { BarChart as EBar } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { useEChart } from "./useEChart";

echarts.use([EBar, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

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
  const { el, chart } = useEChart();
  const select = useRef(onSelect);
  useEffect(() => {
    select.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const cat = { type: "category", data: categories, axisTick: { show: false }, axisLabel: { fontSize: 12, hideOverlap: true } };
    const val = { type: "value", axisLabel: { formatter: (v: number) => format(v) } };
    c.setOption(
      {
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
          cursor: onSelect ? "pointer" : "default",
        })),
      },
      true,
    );
    c.off("click");
    c.on("click", (p) => select.current?.(p.dataIndex, p.seriesIndex === 1 ? 1 : 0));
  }, [chart, categories, current, previous, format, onSelect, vertical]);

  return (
    <div role="img" aria-label={label}>
      <div ref={el} style={{ width: "100%", height: height ?? (vertical ? 300 : Math.max(140, 48 + categories.length * 44)) }} />
    </div>
  );
}
