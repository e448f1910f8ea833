"use client";
// A small bar chart on ECharts (core build: only the bar series, grid and tooltip are bundled).
import { BarChart as EBar } from "echarts/charts";
import { AriaComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect } from "react";
import { useEChart } from "./useEChart";

// Register only what this chart draws (echarts.use is not a React hook).
echarts.use([EBar, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

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
  const { el, chart } = useEChart();

  useEffect(() => {
    chart.current?.setOption(
      {
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
      },
      true,
    );
  }, [chart, categories, values, seriesName, unit]);

  // The name sits on a wrapper: with aria enabled, ECharts replaces the chart element's own aria-label with its description.
  return (
    <div role="img" aria-label={label}>
      <div ref={el} style={{ width: "100%", height }} />
    </div>
  );
}
