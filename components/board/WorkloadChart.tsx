"use client";
// RMs' active workload side by side: one stacked bar per RM (open / acknowledged / in progress).
import { BarChart as EBar } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect } from "react";
import { useEChart } from "@/components/charts/useEChart";

echarts.use([EBar, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export type WorkloadSeries = { name: string; colour: string; values: number[] };

export function WorkloadChart({ categories, series, label, axisName, height = 280 }: { categories: string[]; series: WorkloadSeries[]; label: string; axisName: string; height?: number }) {
  const { el, chart } = useEChart();
  useEffect(() => {
    chart.current?.setOption(
      {
        aria: { enabled: true },
        legend: { top: 0, itemWidth: 12, itemHeight: 12 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: categories, axisLabel: { interval: 0, hideOverlap: true } },
        yAxis: { type: "value", name: axisName, minInterval: 1, nameTextStyle: { align: "left" } },
        series: series.map((s) => ({ type: "bar", name: s.name, stack: "load", data: s.values, itemStyle: { color: s.colour }, barMaxWidth: 40 })),
      },
      true,
    );
  }, [chart, categories, series, axisName]);
  return (
    <div role="img" aria-label={label}>
      <div ref={el} style={{ width: "100%", height }} />
    </div>
  );
}
