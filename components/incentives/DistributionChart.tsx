"use client";
// Payable points per RM, highest first; RMs beyond Tukey's fences are drawn red (high) or orange (low).
import { useMemo } from "react";
import { EChart } from "@/components/charts/EChart";

export type Bar = { name: string; value: number; outlier: "high" | "low" | null };

export function DistributionChart({ bars, label, axisName, fences, height = 260 }: { bars: Bar[]; label: string; axisName: string; fences: { low: number; high: number } | null; height?: number }) {
  const option = useMemo(() => {
    const fence = (v: number) => ({ yAxis: Math.round(v * 10) / 10, lineStyle: { type: "dashed" as const, color: "#8c8c8c" }, label: { formatter: String(Math.round(v)) } });
    return {
      aria: { enabled: true },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: bars.map((b) => b.name), axisLabel: { interval: 0, rotate: bars.length > 12 ? 45 : 0, hideOverlap: true } },
      yAxis: { type: "value", name: axisName, nameTextStyle: { align: "left" } },
      series: [
        {
          type: "bar",
          barMaxWidth: 32,
          data: bars.map((b) => ({ value: b.value, itemStyle: { color: b.outlier === "high" ? "#cf1322" : b.outlier === "low" ? "#d46b08" : "#1677ff" } })),
          markLine: fences ? { symbol: "none", silent: true, data: [fence(fences.low), fence(fences.high)] } : undefined,
        },
      ],
    };
  }, [bars, axisName, fences]);
  return <EChart option={option} label={label} height={height} />;
}
