"use client";
// Month by month: stacked bars of amounts (left axis) and a ratio line (right axis, percent). Month labels are
// short ("2026-05"), so both languages fit under the bars without rotating.
import { BarChart as EBar, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect } from "react";
import { useEChart } from "./useEChart";

echarts.use([EBar, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

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
  const { el, chart } = useEChart();
  useEffect(() => {
    chart.current?.setOption(
      {
        aria: { enabled: true },
        legend: { top: 0, type: "scroll" },
        grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
        tooltip: {
          trigger: "axis",
          valueFormatter: (v: unknown) => (v == null ? "—" : String(v)),
        },
        xAxis: { type: "category", data: months, axisLabel: { hideOverlap: true } },
        yAxis: [
          { type: "value", name: unit, nameTextStyle: { align: "left" } },
          { type: "value", name: "%", position: "right", splitLine: { show: false }, axisLabel: { formatter: "{value}%" } },
        ],
        series: [
          ...bars.map((b) => ({ type: "bar", name: b.name, stack: "balance", data: b.values, itemStyle: { color: b.colour }, barMaxWidth: 28 })),
          { type: "line", name: line.name, yAxisIndex: 1, data: line.values, itemStyle: { color: line.colour }, lineStyle: { width: 2 }, symbolSize: 6, connectNulls: false },
        ],
      },
      true,
    );
  }, [chart, months, bars, line, unit]);

  return (
    <div role="img" aria-label={label}>
      <div ref={el} style={{ width: "100%", height }} />
    </div>
  );
}
