// How the loan page reads the engine's output: a status per installment and the DPD / classification lines of
// the history chart. Pure (no I/O, no clock) so the server page, the client chart and unit tests agree.
import type { Classification } from "../vocabulary";
import { dayToIso, isoToDay } from "./schedule";

/** Severity colours of the five categories (antd preset names): 损失/可疑 red, 次级 orange, 关注 gold, 正常 green. */
export const CLASSIFICATION_COLOUR: Record<Classification, "red" | "orange" | "gold" | "green"> = {
  normal: "green",
  special_mention: "gold",
  substandard: "orange",
  doubtful: "red",
  loss: "red",
};

/** The same severities as text/line colours (antd's -7 shades; 损失 a shade darker than 可疑). */
export const CLASSIFICATION_HEX: Record<Classification, string> = {
  normal: "#389e0d",
  special_mention: "#d48806",
  substandard: "#d46b08",
  doubtful: "#cf1322",
  loss: "#a8071a",
};

/** Catalogue key of a bucket: next-intl keys cannot hold every character a bucket name may ("M4+"). */
export function bucketKey(bucket: string): string {
  return bucket.replace(/\+$/, "plus").replace(/[^A-Za-z0-9_]/g, "_");
}

// ---------------------------------------------------------------------------------------------------------------
// Installments

export type InstallmentView = {
  installmentNo: number;
  dueOn: string;
  principalDueFen: number;
  interestDueFen: number;
  paidPrincipalFen: number;
  paidInterestFen: number;
  settledOn: string | null;
};

/**
 * paid: settled on or before its due date; prepaid: settled before it became the current installment (before the
 * previous installment's due date: the engine's prepayment, where paying the current one early is not); paidLate:
 * settled after its due date; overdue: past due (as-of after the due date, the engine's rule) and not settled; due:
 * the first unsettled installment not yet past due; upcoming: the later ones.
 * `partial` says something was paid without settling it — on its own for a not-yet-due installment, alongside
 * `overdue` for a past-due one. `daysOverdue` is as-of − due date for an overdue installment, else 0.
 */
export type InstallmentStatus = { status: "paid" | "prepaid" | "paidLate" | "overdue" | "due" | "upcoming"; partial: boolean; daysOverdue: number };

export function installmentStatuses(rows: readonly InstallmentView[], asOf: string): InstallmentStatus[] {
  const today = isoToDay(asOf);
  let currentSeen = false;
  let previousDue = Number.NEGATIVE_INFINITY;
  return rows.map((r) => {
    const due = isoToDay(r.dueOn);
    const periodStart = previousDue;
    previousDue = due;
    if (r.settledOn !== null && isoToDay(r.settledOn) <= today) {
      const settled = isoToDay(r.settledOn);
      return { status: settled > due ? "paidLate" : settled < periodStart ? "prepaid" : "paid", partial: false, daysOverdue: 0 };
    }
    const partial = r.paidPrincipalFen + r.paidInterestFen > 0;
    if (today > due) return { status: "overdue", partial, daysOverdue: today - due };
    const status = currentSeen ? "upcoming" : "due";
    currentSeen = true;
    return { status, partial, daysOverdue: 0 };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// History chart

export type HistoryPoint = { changedOn: string; dpd: number; classification: Classification };

export type DpdSeries = {
  /** [date, dpd] vertices; DPD grows one a day between them while positive, so straight lines are exact. */
  dpd: [string, number][];
  /** Consecutive periods of one classification, from disbursement to as-of. */
  classes: { from: string; to: string; classification: Classification }[];
  maxDpd: number;
};

/**
 * The engine records a history entry whenever the bucket or class changes and whenever a repayment moves the DPD
 * clock; between entries DPD is either 0 or rises by one a day. So the line is: 0 from disbursement, straight
 * segments between entries, a vertical drop where a repayment cut the DPD, extended to as-of.
 */
export function dpdSeries(input: { disbursedOn: string; asOf: string; history: readonly HistoryPoint[]; current?: { dpd: number; classification: Classification } | null }): DpdSeries {
  const start = isoToDay(input.disbursedOn);
  const end = Math.max(isoToDay(input.asOf), start);
  const pts: [number, number][] = [[start, 0]];
  const push = (day: number, v: number) => {
    const last = pts[pts.length - 1];
    if (last && last[0] === day && last[1] === v) return;
    // A vertex on the line between its neighbours adds nothing.
    const prev = pts[pts.length - 2];
    if (last && prev && last[0] !== day && slope(prev, last) === slope(last, [day, v]) && prev[0] !== last[0]) pts.pop();
    pts.push([day, v]);
  };
  const classes: { from: number; to: number; classification: Classification }[] = [];
  const setClass = (day: number, c: Classification) => {
    const last = classes[classes.length - 1];
    if (last && last.classification === c) return;
    if (last) last.to = day;
    classes.push({ from: day, to: end, classification: c });
  };
  setClass(start, "normal");

  let at = start;
  let dpd = 0;
  const carried = (day: number) => (dpd > 0 ? dpd + (day - at) : 0);
  for (const h of input.history) {
    const day = Math.min(Math.max(isoToDay(h.changedOn), at), end);
    const before = carried(day);
    if (before === 0 && h.dpd > 0) push(Math.max(day - h.dpd, at), 0);
    else if (before !== h.dpd) push(day, before);
    push(day, h.dpd);
    setClass(day, h.classification);
    at = day;
    dpd = h.dpd;
  }
  const final = input.current?.dpd ?? carried(end);
  const before = carried(end);
  if (before === 0 && final > 0) push(Math.max(end - final, at), 0);
  else if (before !== final) push(end, before);
  push(end, final);
  if (input.current) setClass(end, input.current.classification);
  // A class that only begins on the last day still gets a visible sliver.
  const segments = classes.filter((c) => c.to > c.from || c === classes[classes.length - 1]);
  return {
    dpd: pts.map(([d, v]) => [dayToIso(d), v]),
    classes: segments.map((c) => ({ from: dayToIso(c.from), to: dayToIso(Math.max(c.to, c.from + 1)), classification: c.classification })),
    maxDpd: Math.max(0, ...pts.map(([, v]) => v)),
  };
}

function slope(a: [number, number], b: [number, number]): number {
  return (b[1] - a[1]) / (b[0] - a[0]);
}

/** DPD on `iso` read off the series (for the chart's tooltip); the value after any same-day drop. */
export function dpdAt(series: DpdSeries, iso: string): number {
  const day = isoToDay(iso);
  const pts = series.dpd.map(([d, v]) => [isoToDay(d), v] as const);
  let k = -1;
  for (let i = 0; i < pts.length; i++) if ((pts[i]?.[0] ?? Infinity) <= day) k = i;
  const a = pts[k];
  const b = pts[k + 1];
  if (!a) return 0;
  if (!b) return a[1];
  return Math.round(a[1] + ((b[1] - a[1]) * (day - a[0])) / (b[0] - a[0]));
}

/** Classification on `iso` (the band it falls in). */
export function classAt(series: DpdSeries, iso: string): Classification {
  let out: Classification = "normal";
  for (const c of series.classes) if (c.from <= iso) out = c.classification;
  return out;
}
