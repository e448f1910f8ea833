"use client";
// Mounts an ECharts instance on a div for the component's lifetime, resizing with its container. Screens draw through
// EChart (an option in, a chart out); this hook is its mount.
import * as echarts from "echarts/core";
import type { EChartsType } from "echarts/core";
import { useEffect, useRef } from "react";

export function useEChart() {
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
  return { el, chart };
}
