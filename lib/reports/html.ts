// The print-friendly report as one self-contained HTML document, built from the stored snapshot alone: the print page
// shows it and the reports worker hands it to Chromium (page.setContent) for the PDF, so the PDF needs no session,
// no URL and no network. Charts are ECharts rendered to SVG on the server. Every value is escaped.
import "server-only";
import * as echarts from "echarts";
import { formatCount, formatDate, formatDateTime, formatYuan } from "../format";
import { translator } from "../http/messages";
import type { Report } from "./service";
import type { DistLine, Snapshot } from "./sections";
import { amount, distLabel, measureText, pct, ppChange, reasonLabel, scopeName, type T } from "./text";

const esc = (v: unknown) =>
  String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A translator over the whole catalogue: "reports.x.y", "enums.x.y", "tasks.x.y". */
export function catalogue(locale: string): T {
  return (key, values) => {
    const dot = key.indexOf(".");
    return translator(locale, key.slice(0, dot))(key.slice(dot + 1), values);
  };
}

/** Rows of section 1 the document (screen, print page, PDF) lists at most; the XLSX and the API hold every one. */
export const DOC_ROWS = 300;

export const FONT = `"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif`;

function svgChart(option: echarts.EChartsOption, width = 680, height = 260): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

function reasonChart(s: Snapshot, t: T): string {
  const lines = s.reasons.byReason;
  return svgChart({
    legend: { top: 0, data: [t("reports.reasons.current"), t("reports.reasons.prev")] },
    grid: { left: 48, right: 16, top: 36, bottom: 40 },
    xAxis: { type: "category", data: lines.map((l) => reasonLabel(l.key, t)), axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: t("reports.reasons.current"), type: "bar", data: lines.map((l) => l.events), itemStyle: { color: "#1d4ed8" }, label: { show: true, position: "top" } },
      { name: t("reports.reasons.prev"), type: "bar", data: lines.map((l) => l.prevEvents), itemStyle: { color: "#94a3b8" }, label: { show: true, position: "top" } },
    ],
  });
}

function lossChart(s: Snapshot, locale: string, t: T): string {
  const L = s.loss;
  const items: [string, number][] = [
    [t("reports.loss.principal"), L.principalLostFen],
    [t("reports.loss.interest"), L.interestLostFen],
    [t("reports.loss.forgone"), L.interestForgoneFen],
    [t("reports.loss.lostBalance"), L.lostBalanceFen],
  ];
  const scale = locale.startsWith("zh") ? 1_000_000 : 100_000_000;
  return svgChart(
    {
      grid: { left: 210, right: 70, top: 10, bottom: 24 },
      xAxis: { type: "value", name: t("reports.wan"), nameLocation: "end" },
      yAxis: { type: "category", data: items.map((i) => i[0]), inverse: true, axisLabel: { width: 200, overflow: "break", fontSize: 11 } },
      series: [{ type: "bar", data: items.map((i) => Math.round((i[1] / scale) * 100) / 100), itemStyle: { color: "#c2410c" }, label: { show: true, position: "right" } }],
    },
    680,
    200,
  );
}

const money = (fen: number) => `<td class="n">${esc(formatYuan(fen))}</td>`;
const count = (n: number) => `<td class="n">${esc(formatCount(n))}</td>`;

function distTable(title: string, dim: "reason" | "stage" | "will", lines: DistLine[], t: T): string {
  const head = ["key", "events", "customers", "exposure", "loss", "prevEvents", "prevExposure", "change"].map((k) => `<th>${esc(t(`reports.reasons.${k}`))}</th>`).join("");
  const body = lines
    .map((l) => {
      const d = l.events - l.prevEvents;
      return `<tr><td>${esc(distLabel(dim, l.key, t))}</td>${count(l.events)}${count(l.customers)}${money(l.exposureFen)}${money(l.lossFen)}${count(l.prevEvents)}${money(l.prevExposureFen)}<td class="n">${d > 0 ? "+" : ""}${d}</td></tr>`;
    })
    .join("");
  return `<h3>${esc(title)}</h3><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export type HtmlOptions = { locale: string; forPdf?: boolean };

/** The report's body (cover and four sections) and its style sheet, for the print page and the PDF. */
export function reportHtmlParts(r: Report, opts: HtmlOptions): { style: string; body: string } {
  const { locale } = opts;
  const t = catalogue(locale);
  const s = r.snapshot!;
  // Punctuation follows the language: full-width in Chinese.
  const zh = locale.startsWith("zh");
  const P = (x: string) => (zh ? `（${x}）` : ` (${x})`);
  const C = zh ? "：" : ": ";
  const SEP = zh ? "；" : "; ";
  const LIST = zh ? "、" : ", ";
  const COMMA = zh ? "，" : ", ";
  const tz = (v: string | null) => (v ? formatDateTime(v) : "");
  const author = r.finalisedByName ?? r.requestedByName ?? t(`reports.trigger.schedule`);
  const cover = `
    <section class="cover">
      <h1>${esc(t("reports.docTitle"))}</h1>
      <dl>
        <dt>${esc(t("reports.cover.scope"))}</dt><dd>${esc(scopeName(r, locale, t))}</dd>
        <dt>${esc(t("reports.cover.period"))}</dt><dd>${esc(r.period + P(t("reports.periodRange", { from: r.periodFrom, to: r.periodTo })))}</dd>
        <dt>${esc(t("reports.cover.author"))}</dt><dd>${esc(author)}</dd>
        <dt>${esc(t("reports.cover.finalisedAt"))}</dt><dd>${esc(r.finalisedAt ? tz(r.finalisedAt) : t("reports.cover.notFinal"))}</dd>
        <dt>${esc(t("reports.cover.asOf"))}</dt><dd>${esc(r.asOf ?? "")}</dd>
        <dt>${esc(t("reports.cover.generatedAt"))}</dt><dd>${esc(tz(r.generatedAt))}</dd>
      </dl>
    </section>`;

  const B = s.basic;
  // A bank's year can hold tens of thousands of events: the document lists the largest by exposure, the XLSX all.
  const shown = B.rows.length > DOC_ROWS ? [...B.rows].sort((a, b) => b.exposureFen - a.exposureFen || a.eventId - b.eventId).slice(0, DOC_ROWS) : B.rows;
  const basicCols = ["company", "legalRep", "capital", "industry", "rm", "subject", "amount", "exposure", "effectiveOn", "stage", "kind", "will", "reason"];
  const basic = `
    <section class="sec wide"><h2>${esc(t("reports.sections.basic"))}</h2>
      <p>${esc(t("reports.basic.summary", { customers: B.customers, events: B.events, exposure: amount(B.exposureFen, locale, t) }))}</p>
      ${
        B.rows.length
          ? `${shown.length < B.rows.length ? `<p class="muted">${esc(t("reports.basic.truncated", { shown: shown.length, total: B.rows.length }))}</p>` : ""}<table class="small"><thead><tr>${basicCols.map((c) => `<th>${esc(t(`reports.basic.${c}`))}</th>`).join("")}</tr></thead><tbody>${shown
              .map(
                (x) =>
                  `<tr><td>${esc(x.company)}<div class="sub">${esc(x.customerNo)}</div></td><td class="c">${esc(x.legalRep)}</td>${money(x.registeredCapitalFen)}<td class="c">${esc(x.industryCode)}</td><td class="c">${esc(x.rmName)}</td><td class="c">${esc(x.contractNo ?? x.applicationNo ?? "")}</td>${money(x.amountFen)}${money(x.exposureFen)}<td class="d">${esc(x.effectiveOn)}</td><td class="c">${esc(t(`enums.churnStage.${x.stage}`))}</td><td>${esc(t(`enums.churnKind.${x.kind}`))}</td><td class="c">${esc(t(`enums.churnWill.${x.will}`))}</td><td>${esc(reasonLabel(x.reasonFamily, t))}</td></tr>`,
              )
              .join("")}<tr class="total"><td colspan="6">${esc(t("reports.basic.total"))}</td>${money(B.amountFen)}${money(B.exposureFen)}<td colspan="5"></td></tr></tbody></table>`
          : `<p class="muted">${esc(t("reports.basic.empty"))}</p>`
      }
    </section>`;

  const R = s.reasons;
  const cases = R.topCases
    .map((c, i) => {
      const warns = c.warnings.length
        ? c.warnings.map((w) => esc(t("reports.reasons.warningLine", { rule: locale.startsWith("zh") ? w.ruleZh : w.ruleEn, severity: t(`enums.severity.${w.severity}`), date: w.openedOn, days: w.leadDays }))).join(SEP)
        : esc(t("reports.reasons.noWarnings"));
      const task = c.task
        ? esc(
            t("reports.reasons.taskLine", {
              opened: formatDateTime(c.task.openedAt),
              contact: c.task.contactHours != null ? t("reports.reasons.contactAfter", { hours: c.task.contactHours }) : t("reports.reasons.noContact"),
            }) + (c.task.contactLate ? P(t("reports.reasons.late")) : ""),
          )
        : esc(t("reports.reasons.noTask"));
      const types = Object.entries(c.followUps.byType)
        .map(([k, v]) => `${t(`tasks.followUps.type.${k}`)} ${v}`)
        .join(LIST);
      const fus = c.followUps.count
        ? esc(t("reports.reasons.followUpLine", { count: c.followUps.count, types, first: formatDate(c.followUps.first), last: formatDate(c.followUps.last) }))
        : esc(t("reports.reasons.noFollowUps"));
      return `<div class="case"><h4>${i + 1}. ${esc(c.company + P(t(`enums.churnKind.${c.kind}`) + COMMA + c.effectiveOn))} — ${esc(t("reports.reasons.loss"))} ${esc(formatYuan(c.lossFen))}${COMMA}${esc(t("reports.reasons.exposure"))} ${esc(formatYuan(c.exposureFen))}</h4>
        <p><b>${esc(t("reports.reasons.warnings") + C)}</b>${warns}</p><p><b>${esc(t("reports.reasons.task") + C)}</b>${task}</p><p><b>${esc(t("reports.reasons.followUps") + C)}</b>${fus}</p></div>`;
    })
    .join("");
  const reasons = `
    <section class="sec"><h2>${esc(t("reports.sections.reasons"))}</h2>
      <p class="muted">${esc(t("reports.reasons.previous", { period: R.previous.period, from: R.previous.from, to: R.previous.to }))}</p>
      <h3>${esc(t("reports.reasons.chart"))}</h3><div class="chart">${reasonChart(s, t)}</div>
      ${distTable(t("reports.reasons.byReason"), "reason", R.byReason, t)}
      ${distTable(t("reports.reasons.byStage"), "stage", R.byStage, t)}
      ${distTable(t("reports.reasons.byWill"), "will", R.byWill, t)}
      <h3>${esc(t("reports.reasons.drivers"))}</h3>
      ${
        R.drivers.length
          ? `<ol>${R.drivers.map((d) => `<li>${esc(t("reports.reasons.driverLine", { reason: reasonLabel(d.reasonFamily, t), kind: t(`enums.churnKind.${d.kind}`), events: d.events, share: pct(d.share), exposure: amount(d.exposureFen, locale, t) }))}</li>`).join("")}</ol>`
          : `<p class="muted">${esc(t("reports.reasons.noDrivers"))}</p>`
      }
      <h3>${esc(t("reports.reasons.topCases"))}</h3>${cases || `<p class="muted">${esc(t("reports.basic.empty"))}</p>`}
    </section>`;

  const L = s.loss;
  const lossRows: [string, number][] = [
    ["events", L.events],
    ["principal", L.principalLostFen],
    ["interest", L.interestLostFen],
    ["direct", L.directLossFen],
    ["forgone", L.interestForgoneFen],
    ["forgoneInPeriod", L.forgoneInPeriodFen],
    ["lostBalance", L.lostBalanceFen],
    ["profit", L.profitEffectFen],
  ];
  const q = (k: "balance" | "npl") => (k === "balance" ? [L.before.totalFen, L.after.totalFen] : [L.before.nplFen, L.after.nplFen]);
  const loss = `
    <section class="sec"><h2>${esc(t("reports.sections.loss"))}</h2>
      <table><thead><tr><th>${esc(t("reports.loss.item"))}</th><th>${esc(t("reports.loss.amount"))}</th></tr></thead><tbody>
        ${lossRows.map(([k, v]) => `<tr class="${k === "direct" || k === "profit" ? "total" : ""}"><td>${esc(t(`reports.loss.${k}`))}</td>${k === "events" ? count(v) : money(v)}</tr>`).join("")}
      </tbody></table>
      <p class="muted">${esc(t("reports.loss.profitFormula"))}</p>
      <div class="chart">${lossChart(s, locale, t)}</div>
      <h3>${esc(t("reports.loss.quality"))}</h3>
      <table><thead><tr><th></th><th>${esc(t("reports.loss.before", { date: L.before.date }))}</th><th>${esc(t("reports.loss.after", { date: L.after.date }))}</th><th>${esc(t("reports.loss.change"))}</th></tr></thead><tbody>
        <tr><td>${esc(t("reports.loss.balance"))}</td>${money(q("balance")[0]!)}${money(q("balance")[1]!)}${money(q("balance")[1]! - q("balance")[0]!)}</tr>
        <tr><td>${esc(t("reports.loss.npl"))}</td>${money(q("npl")[0]!)}${money(q("npl")[1]!)}${money(q("npl")[1]! - q("npl")[0]!)}</tr>
        <tr><td>${esc(t("reports.loss.nplRatio"))}</td><td class="n">${esc(pct(L.before.ratio))}</td><td class="n">${esc(pct(L.after.ratio))}</td><td class="n">${esc(ppChange(L.before.ratio, L.after.ratio))}</td></tr>
        <tr><td>${esc(t("reports.loss.share"))}</td><td class="n">${esc(pct(L.before.share))}</td><td class="n">${esc(pct(L.after.share))}</td><td class="n">${esc(ppChange(L.before.share, L.after.share))}</td></tr>
      </tbody></table>
    </section>`;

  const M = s.measures;
  const tm = M.telemetry;
  const basis = [
    t("reports.measures.approvalLine", { decided: tm.approval.decided, median: tm.approval.medianDays ?? "—", p90: tm.approval.p90Days ?? "—", pre: tm.approval.preVoluntary }),
    t("reports.measures.rulesLine", { events: tm.rules.postEvents, warned: tm.rules.warned, missed: tm.rules.missed, late: tm.rules.late }),
    ...(tm.rules.lateRules.length ? [t("reports.measures.lateRulesLine", { rules: tm.rules.lateRules.map((x) => `${zh ? x.ruleZh : x.ruleEn}${P(String(x.late))}`).join(LIST) })] : []),
    t("reports.measures.followUpLine", { noTask: tm.followUp.warnedNoTask, noFollowUp: tm.followUp.noFollowUp, late: tm.followUp.contactLate, tasks: tm.followUp.tasks }),
    t("reports.measures.pricingLine", { churned: tm.pricing.churnedLoans, churnedBp: tm.pricing.churnedAvgSpreadBp ?? "—", over: tm.pricing.churnedOverMargin, margin: tm.pricing.marginBp, active: tm.pricing.activeLoans, activeBp: tm.pricing.activeAvgSpreadBp ?? "—" }),
  ];
  const measures = `
    <section class="sec"><h2>${esc(t("reports.sections.measures"))}</h2>
      <ol class="measures">${M.items.map((m) => `<li><b>${esc(t(`reports.measures.area.${m.area}`) + C)}</b>${esc(measureText(m, t))}</li>`).join("")}</ol>
      <h3>${esc(t("reports.measures.telemetry"))}</h3><ul class="basis">${basis.map((b) => `<li>${esc(b)}</li>`).join("")}</ul>
    </section>`;

  const style = `
    .report { font-family: ${FONT}; color: #111; font-size: 11pt; line-height: 1.5; max-width: 1000px; margin: 0 auto; }
    .report h1 { font-size: 24pt; margin: 0 0 24px; }
    .report h2 { font-size: 16pt; border-bottom: 2px solid #1d4ed8; padding-bottom: 4px; margin: 24px 0 12px; }
    .report h3 { font-size: 12pt; margin: 16px 0 8px; }
    .report h4 { font-size: 11pt; margin: 8px 0 4px; }
    .report p { margin: 4px 0; }
    .report table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
    .report th, .report td { border: 1px solid #cbd5e1; padding: 3px 6px; text-align: left; vertical-align: top; }
    .report th { background: #f1f5f9; }
    .report thead { display: table-header-group; }
    .report tr { break-inside: avoid; }
    .report table.small { font-size: 8.5pt; }
    .report td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .report tr.total td { font-weight: bold; background: #f8fafc; }
    .report .sub { color: #64748b; font-size: 8pt; }
    .report .muted { color: #475569; }
    .report .case { border-left: 3px solid #c2410c; padding-left: 8px; margin: 8px 0; break-inside: avoid; }
    .report .chart svg { max-width: 100%; height: auto; }
    .report .cover { min-height: ${opts.forPdf ? "240mm" : "auto"}; display: flex; flex-direction: column; justify-content: center; }
    .report .cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 8px 24px; font-size: 13pt; }
    .report .cover dt { color: #475569; }
    .report .cover dd { margin: 0; }
    .report .sec { break-before: page; }
    .report td.d, .report td.c { white-space: nowrap; }
    .report table.small th { white-space: nowrap; }
    @page { size: A4; margin: 16mm 14mm 18mm; }
    /* Section 1's thirteen columns need the width: its pages are landscape. */
    @page wide { size: A4 landscape; margin: 14mm 12mm 16mm; }
    .report .sec.wide { page: wide; }`;
  return { style, body: `<div class="report">${cover}${basic}${reasons}${loss}${measures}</div>` };
}

/** The whole document, for page.setContent in the worker. */
export function reportDocument(r: Report, locale: string): string {
  const { style, body } = reportHtmlParts(r, { locale, forPdf: true });
  return `<!doctype html><html lang="${esc(locale)}"><head><meta charset="utf-8"><title>${esc(catalogue(locale)("reports.docTitle"))}</title><style>${style}</style></head><body>${body}</body></html>`;
}
