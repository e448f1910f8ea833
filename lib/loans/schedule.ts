// Schedule maths shared by the demo generator, imports and the delinquency engine: a calendar on integer day
// numbers and repayment schedules exact in integer fen. Pure: no I/O, no clock.
import type { RepaymentMethod } from "../vocabulary";

export type { RepaymentMethod };

// ---------------------------------------------------------------------------------------------------------------
// Calendar on integer day numbers (days since 1970-01-01): no Date objects, no time zones, fast in hot loops.

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDay(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// The delinquency engine parses the same few thousand dates millions of times: parse each once.
const dayCache = new Map<string, number>();
export function isoToDay(iso: string): number {
  const cached = dayCache.get(iso);
  if (cached !== undefined) return cached;
  const m = ISO_RE.exec(iso);
  const day = m ? dayFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) : NaN;
  if (!m || dayToIso(day) !== iso) throw new RangeError(`"${iso}" is not a valid YYYY-MM-DD date`);
  if (dayCache.size < 100_000) dayCache.set(iso, day);
  return day;
}

// A portfolio touches a few thousand distinct days while writing millions of dates: format each day once.
const isoCache = new Map<number, string>();
export function dayToIso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    const [y, m, d] = civilFromDay(day);
    s = `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
    if (isoCache.size < 100_000) isoCache.set(day, s);
  }
  return s;
}

// Month arithmetic clamps to the month's last day (Jan 31 + 1 month = Feb 28/29), as loan contracts do.
export function addMonthsDay(day: number, months: number): number {
  const [y, m, d] = civilFromDay(day);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return dayFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** "2026-01-31" + 1 month → "2026-02-28": same day of month, clamped to the month's end. */
export function addMonths(iso: string, months: number): string {
  return dayToIso(addMonthsDay(isoToDay(iso), months));
}

// ---------------------------------------------------------------------------------------------------------------
// Repayment schedules, exact in integer fen. Rates travel as millionths ("0.043500" ⇄ 43500) so no float touches
// money; interest per month is outstanding × annual rate ÷ 12, rounded half up to the fen.

export type InstallmentAmount = { principalDueFen: number; interestDueFen: number };
export type ScheduledInstallment = InstallmentAmount & { installmentNo: number; dueOn: string };
export type LoanTerms = { principalFen: number; annualRate: string; termMonths: number; method: RepaymentMethod; disbursedOn: string };

const MONTHS_MICRO = 12_000_000;

/** "0.0435" or "0.043500" → 43500 (millionths). */
export function parseRateMicro(rate: string): number {
  const m = /^(\d{1,3})(?:\.(\d{1,6}))?$/.exec(rate.trim());
  if (!m) throw new RangeError(`"${rate}" is not a rate with at most 6 decimals`);
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? "").padEnd(6, "0"));
}

/** 43500 → "0.043500", the numeric(9,6) text the database stores. */
export function formatRateMicro(micro: number): string {
  return `${Math.floor(micro / 1_000_000)}.${String(micro % 1_000_000).padStart(6, "0")}`;
}

/** round(a × b ÷ d) half up, exact: BigInt only when a × b leaves the safe-integer range. */
export function mulDivRound(a: number, b: number, d: number): number {
  const twice = 2 * a * b + d;
  if (twice <= Number.MAX_SAFE_INTEGER) return Math.floor(twice / (2 * d));
  return Number((2n * BigInt(a) * BigInt(b) + BigInt(d)) / (2n * BigInt(d)));
}

export function monthlyInterestFen(outstandingFen: number, annualRateMicro: number): number {
  return mulDivRound(outstandingFen, annualRateMicro, MONTHS_MICRO);
}

// The annuity factor r(1+r)^n / ((1+r)^n − 1) as an exact fraction, cached per (rate, term): the few hundred
// combinations a portfolio uses are computed once, and no pow() rounding can differ between machines.
const annuityFactors = new Map<string, { num: bigint; den: bigint }>();

/** The level monthly payment of an equal-installment (等额本息) loan, rounded half up to the fen. */
export function annuityPaymentFen(principalFen: number, annualRateMicro: number, termMonths: number): number {
  if (annualRateMicro === 0) return mulDivRound(principalFen, 1, termMonths);
  const key = `${annualRateMicro}:${termMonths}`;
  let f = annuityFactors.get(key);
  if (!f) {
    const base = BigInt(MONTHS_MICRO);
    const grown = (base + BigInt(annualRateMicro)) ** BigInt(termMonths);
    f = { num: BigInt(annualRateMicro) * grown, den: base * (grown - base ** BigInt(termMonths)) };
    if (annuityFactors.size >= 10_000) annuityFactors.clear();
    annuityFactors.set(key, f);
  }
  return Number((2n * BigInt(principalFen) * f.num + f.den) / (2n * f.den));
}

/**
 * Principal and interest of each installment. The last installment absorbs rounding residue, so the principal
 * parts always sum to the principal exactly. A bullet loan is one installment at maturity.
 */
export function installmentAmounts(principalFen: number, annualRateMicro: number, termMonths: number, method: RepaymentMethod): InstallmentAmount[] {
  if (!Number.isSafeInteger(principalFen) || principalFen <= 0) throw new RangeError(`principal must be a positive whole number of fen, got ${principalFen}`);
  if (!Number.isInteger(termMonths) || termMonths < 1) throw new RangeError(`term must be a positive number of months, got ${termMonths}`);
  if (!Number.isInteger(annualRateMicro) || annualRateMicro < 0) throw new RangeError(`rate must be non-negative millionths, got ${annualRateMicro}`);
  const out: InstallmentAmount[] = [];
  if (method === "bullet") {
    out.push({ principalDueFen: principalFen, interestDueFen: mulDivRound(principalFen, annualRateMicro * termMonths, MONTHS_MICRO) });
    return out;
  }
  const payment = method === "equal_installment" ? annuityPaymentFen(principalFen, annualRateMicro, termMonths) : 0;
  const level = Math.floor(principalFen / termMonths);
  let outstanding = principalFen;
  for (let k = 1; k <= termMonths; k++) {
    const interest = monthlyInterestFen(outstanding, annualRateMicro);
    let principal: number;
    if (k === termMonths) principal = outstanding;
    else if (method === "equal_installment") principal = Math.min(outstanding, Math.max(0, payment - interest));
    else if (method === "equal_principal") principal = level;
    else principal = 0;
    out.push({ principalDueFen: principal, interestDueFen: interest });
    outstanding -= principal;
  }
  return out;
}

/** The contractual schedule: installment k falls due k months after drawdown (bullet: at maturity). */
export function buildSchedule(terms: LoanTerms): ScheduledInstallment[] {
  const start = isoToDay(terms.disbursedOn);
  const amounts = installmentAmounts(terms.principalFen, parseRateMicro(terms.annualRate), terms.termMonths, terms.method);
  return amounts.map((a, i) => ({
    installmentNo: i + 1,
    dueOn: dayToIso(addMonthsDay(start, terms.method === "bullet" ? terms.termMonths : i + 1)),
    ...a,
  }));
}
