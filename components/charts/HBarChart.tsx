"use client";
// Horizontal bars (category labels on the left, so long Chinese or English names are not cut), one series, and a
// click on a bar that opens the list behind it.
import { BarChart as EBar } from "echarts/charts";
import { AriaComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { useEChart } from "./useEChart";

echarts.use([EBar, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

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
  const { el, chart } = useEChart();
  const select = useRef(onSelect);
  useEffect(() => {
    select.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.setOption(
      {
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
            cursor: onSelect ? "pointer" : "default",
          },
        ],
      },
      true,
    );
    c.off("click");
    c.on("click", (p) => select.current?.(p.dataIndex));
  }, [chart, categories, values, colours, format, onSelect]);

  return (
    <div role="img" aria-label={label}>
      <div ref={el} style={{ width: "100%", height: height ?? Math.max(120, 24 + categories.length * 34) }} />
    </div>
  );
}
