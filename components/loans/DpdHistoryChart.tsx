"use client";
// A loan's days past due and five-category classification over time, from the engine's history rows (ECharts core
// build). Top: DPD as exact straight segments over bands coloured by the class of each period; bottom: the class
// as a step line on a category axis. The wrapper carries the accessible name; a visible sentence summarises it.
import { useTranslations } from "next-intl";
import { useId, useMemo } from "react";
import { EChart } from "@/components/charts/EChart";
import { dayToIso, isoToDay } from "@/lib/loans/schedule";
import { CLASSIFICATION_HEX, classAt, dpdAt, dpdSeries, type HistoryPoint } from "@/lib/loans/view";
import { CLASSIFICATIONS, type Classification } from "@/lib/vocabulary";

const DPD_COLOUR = "#1d4ed8";

/** A local-time axis value (what ECharts makes of "YYYY-MM-DD") back to the nearest calendar day. */
function localIso(ms: number): string {
  const d = new Date(ms + 12 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function alpha(hex: string, a: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

export function DpdHistoryChart({
  contractNo,
  disbursedOn,
  asOf,
  history,
  current,
  settledOn,
  height = 400,
}: {
  contractNo: string;
  disbursedOn: string;
  asOf: string;
  history: HistoryPoint[];
  current: { dpd: number; classification: Classification };
  settledOn: string | null;
  height?: number;
}) {
  const t = useTranslations("loanDetail.chart");
  const te = useTranslations("enums.classification");
  const summaryId = useId();
  const series = useMemo(() => dpdSeries({ disbursedOn, asOf, history, current }), [disbursedOn, asOf, history, current]);
  const classLabels = useMemo(() => CLASSIFICATIONS.map((c) => te(c)), [te]);
  // One invisible point a day: the axis tooltip reports the nearest data point, which should be the hovered day.
  const daily = useMemo(() => {
    const out: [string, number][] = [];
    for (let d = isoToDay(disbursedOn), end = isoToDay(asOf); d <= end; d++) out.push([dayToIso(d), dpdAt(series, dayToIso(d))]);
    return out;
  }, [series, disbursedOn, asOf]);

  const option = useMemo(() => {
    const last = series.classes[series.classes.length - 1];
    const classStep = [...series.classes.map((c) => [c.from, CLASSIFICATIONS.indexOf(c.classification)]), ...(last ? [[asOf, CLASSIFICATIONS.indexOf(last.classification)]] : [])];
    const left = Math.max(44, 16 + 7 * Math.max(...classLabels.map((l) => l.length * (/^[\x00-\x7f]*$/.test(l) ? 1 : 1.8))));
    // The pointer follows the mouse day by day (the tooltip reads the line itself), not the nearest vertex.
    const xBase = { type: "time" as const, min: disbursedOn, max: asOf, splitLine: { show: false }, axisPointer: { snap: false } };
    return {
        animation: false,
        axisPointer: { link: [{ xAxisIndex: "all" }] },
        grid: [
          // Same left edge for both grids (no containLabel) so their time axes line up.
          { left, right: 24, top: 32, bottom: 160 },
          { left, right: 24, bottom: 28, height: 108 },
        ],
        tooltip: {
          trigger: "axis",
          axisPointer: { type: "line" },
          formatter: (params: unknown) => {
            const first = (Array.isArray(params) ? params[0] : params) as { axisValue?: number } | undefined;
            if (first?.axisValue == null) return "";
            const day = localIso(Number(first.axisValue));
            const cls = classAt(series, day);
            const dot = `<span style="display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:6px;background:${CLASSIFICATION_HEX[cls]}"></span>`;
            return `${day}<br/>${t("tooltipDpd", { n: dpdAt(series, day) })}<br/>${dot}${te(cls)}`;
          },
        },
        xAxis: [
          { ...xBase, gridIndex: 0, axisLabel: { show: false }, axisTick: { show: false } },
          { ...xBase, gridIndex: 1, axisLabel: { formatter: "{yyyy}-{MM}", hideOverlap: true } },
        ],
        yAxis: [
          { type: "value", gridIndex: 0, min: 0, minInterval: 1, name: t("dpdAxis"), nameTextStyle: { align: "left" }, max: series.maxDpd < 10 ? 10 : undefined },
          {
            type: "category",
            gridIndex: 1,
            data: classLabels,
            axisTick: { show: false },
            splitLine: { show: true, lineStyle: { color: "#f0f0f0" } },
            axisLabel: { color: (_: unknown, i?: number) => CLASSIFICATION_HEX[CLASSIFICATIONS[i ?? 0] ?? "normal"], fontSize: 11 },
          },
        ],
        series: [
          {
            type: "line",
            name: t("dpdSeries"),
            xAxisIndex: 0,
            yAxisIndex: 0,
            data: series.dpd,
            symbol: "circle",
            symbolSize: 4,
            showSymbol: series.dpd.length <= 60,
            lineStyle: { color: DPD_COLOUR, width: 2 },
            itemStyle: { color: DPD_COLOUR },
            areaStyle: { color: alpha(DPD_COLOUR, 0.06) },
            markArea: {
              silent: true,
              data: series.classes.map((c) => [
                { xAxis: c.from, itemStyle: { color: alpha(CLASSIFICATION_HEX[c.classification], c.classification === "normal" ? 0.05 : 0.13) } },
                { xAxis: c.to },
              ]),
            },
            markLine: settledOn
              ? {
                  silent: true,
                  symbol: "none",
                  lineStyle: { color: CLASSIFICATION_HEX.normal, type: "dashed" },
                  label: { formatter: t("settled"), position: "end", color: CLASSIFICATION_HEX.normal },
                  data: [{ xAxis: settledOn }],
                }
              : undefined,
          },
          { type: "line", xAxisIndex: 0, yAxisIndex: 0, data: daily, symbol: "none", silent: true, lineStyle: { opacity: 0 }, z: 0 },
          // A thin grey step line for the changes, and one thick line per class for its periods (a colour gradient
          // along one line would blend neighbouring colours).
          { type: "line", name: t("classSeries"), xAxisIndex: 1, yAxisIndex: 1, step: "start", data: classStep, symbol: "none", silent: true, lineStyle: { width: 1, color: "#bfbfbf" } },
          ...CLASSIFICATIONS.filter((c) => series.classes.some((p) => p.classification === c)).map((c) => ({
            type: "line" as const,
            name: te(c),
            xAxisIndex: 1,
            yAxisIndex: 1,
            symbol: "none",
            silent: true,
            connectNulls: false,
            lineStyle: { width: 4, color: CLASSIFICATION_HEX[c] },
            itemStyle: { color: CLASSIFICATION_HEX[c] },
            data: series.classes
              .filter((p) => p.classification === c)
              .flatMap((p) => [
                [p.from, CLASSIFICATIONS.indexOf(c)],
                [p.to < asOf ? p.to : asOf, CLASSIFICATIONS.indexOf(c)],
                [p.to < asOf ? p.to : asOf, null],
              ]),
          })),
        ],
    };
  }, [series, daily, classLabels, disbursedOn, asOf, settledOn, t, te]);

  return (
    <div>
      <EChart option={option} label={t("label", { contractNo })} height={height} describedBy={summaryId} />
      <p id={summaryId} style={{ margin: "8px 0 0", color: "rgba(0,0,0,0.55)", fontSize: 13 }}>
        {t("summary", {
          from: disbursedOn,
          to: asOf,
          max: series.maxDpd,
          dpd: current.dpd,
          classification: te(current.classification),
          n: history.length,
        })}
      </p>
    </div>
  );
}
