"use client";
// A small bar chart on ECharts (core build: only the bar series, grid and tooltip are bundled).
import { BarChart as EBar } from "echarts/charts";
import { AriaComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import type { EChartsType } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

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
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: "canvas" });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

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
  }, [categories, values, seriesName, unit]);

  return <div ref={el} role="img" aria-label={label} style={{ width: "100%", height }} />;
}
