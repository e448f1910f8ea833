"use client";
// One chart element for every screen: the ECharts instance lives for the component's lifetime, resizes with its
// container and takes a new option whenever the caller's (memoised) option changes. Each chart component is then
// just the option it builds. Registered once here: the series and components the screens use (core build).
import { BarChart, LineChart, PieChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  AxisPointerComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import type { EChartsCoreOption } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { useEChart } from "./useEChart";

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  AxisPointerComponent,
  MarkAreaComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartOption = EChartsCoreOption;

export function EChart({
  option,
  label,
  height,
  describedBy,
  onSelect,
}: {
  /** Memoise it: a new object redraws the chart. */
  option: ChartOption;
  /** Accessible name of the chart: what it compares. */
  label: string;
  height: number;
  describedBy?: string;
  /** A click on a data item: its series and data index. */
  onSelect?: (dataIndex: number, seriesIndex: number) => void;
}) {
  const { el, chart } = useEChart();
  const select = useRef(onSelect);
  useEffect(() => {
    select.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.setOption(option, true);
    c.off("click");
    c.on("click", (p) => select.current?.(p.dataIndex, p.seriesIndex ?? 0));
  }, [chart, option]);

  // The name sits on a wrapper: with aria enabled, ECharts replaces the chart element's own aria-label with its description.
  return (
    <div role="img" aria-label={label} aria-describedby={describedBy}>
      <div ref={el} style={{ width: "100%", height }} />
    </div>
  );
}
