// Cell value parsers for what banks' exports actually contain. Each returns a value or an error code: a value that
// fits none of the accepted forms is an error, never a guess. Money is parsed from its decimal text into integer
// fen, so no binary float ever touches an amount.
import { checkCreditCode } from "../reference/creditCode";
import { isValidIndustryCode } from "../reference/industries";

/** A formula cell of an XLSX sheet (its cached result is not trusted). */
export type FormulaCell = { kind: "formula"; formula: string };
/** An error cell of an XLSX sheet (#N/A, #REF!, …). */
export type ErrorCell = { kind: "error"; text: string };
/** One cell as a reader yields it: CSV cells are strings, XLSX cells keep their type. */
export type RawCell = string | number | Date | FormulaCell | ErrorCell | null;

export type Params = Record<string, string | number>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string; params?: Params };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: string, params?: Params): Parsed<never> => (params ? { ok: false, code, params } : { ok: false, code });

export function isBlank(raw: RawCell): boolean {
  return raw === null || (typeof raw === "string" && raw.trim() === "");
}

// Excel stores 15 significant digits; anything beyond that in a numeric cell is binary noise.
function numberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}

/** The cell as text for text-like columns; formula and error cells are refused by the caller first. */
function cellText(raw: string | number | Date): Parsed<string> {
  if (typeof raw === "string") return raw.includes("\uFFFD") ? fail("encoding") : ok(raw.trim());
  if (typeof raw === "number") return Number.isFinite(raw) ? ok(numberText(raw)) : fail("number.invalid");
  return fail("text.date");
}

/** Refuses formula and error cells, which have no trustworthy value. */
function plain(raw: RawCell): Parsed<string | number | Date> {
  if (raw === null || isBlank(raw)) return fail("required");
  if (raw instanceof Date || typeof raw !== "object") return ok(raw);
  return raw.kind === "formula" ? fail("formula") : fail("cell.error", { value: raw.text });
}

// A spreadsheet opened later would run text starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@]/;

export function looksLikeFormula(s: string): boolean {
  return FORMULA_START.test(s);
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Free text (names, regions, products): trimmed, bounded, no control characters, no formula. */
export function parseText(raw: RawCell, maxLength: number): Parsed<string> {
  const p = plain(raw);
  if (!p.ok) return p;
  const t = cellText(p.value);
  if (!t.ok) return t;
  const s = t.value;
  if (s === "") return fail("required");
  if (looksLikeFormula(s)) return fail("formula");
  if (CONTROL.test(s) || /[\r\n]/.test(s)) return fail("text.control");
  if (s.length > maxLength) return fail("text.tooLong", { max: maxLength });
  return ok(s);
}

/** Identifiers (customer no., contract no., transaction id): trimmed; numeric cells only while Excel kept every digit. */
export function parseId(raw: RawCell, maxLength = 64): Parsed<string> {
  if (typeof raw === "number" && (!Number.isSafeInteger(raw) || raw < 0 || raw >= 1e15)) return fail("id.number");
  const t = parseText(raw, maxLength);
  if (!t.ok) return t;
  return /\s/.test(t.value) ? fail("id.space") : t;
}

/** A sign, digits and a power of ten: the exact value digits × 10^exponent. */
type Decimal = { negative: boolean; digits: string; exponent: number };

const DECIMAL_RE = /^([+-])?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const int = (m[2] ?? "").replaceAll(",", "");
  const frac = m[3] ?? "";
  if (int === "" && frac === "") return null;
  const digits = (int + frac).replace(/^0+(?=\d)/, "");
  return { negative: m[1] === "-", digits, exponent: Number(m[4] ?? "0") - frac.length };
}

/**
 * digits × 10^(exponent + shift) as an integer, or null when that would drop non-zero digits. Built as decimal
 * text, so it is exact; anything past 16 digits is Infinity, which every caller treats as too large.
 */
function scaleToInteger(d: Decimal, shift: number): number | null {
  if (/^0+$/.test(d.digits)) return 0;
  const e = d.exponent + shift;
  let text: string;
  if (e >= 0) {
    if (d.digits.length + e > 16) return Infinity;
    text = d.digits + "0".repeat(e);
  } else {
    const keep = Math.max(0, d.digits.length + e);
    if (/[^0]/.test(d.digits.slice(keep))) return null;
    text = d.digits.slice(0, keep) || "0";
  }
  return text.length > 16 ? Infinity : Number(text);
}

const CURRENCY = /^[¥￥]|^CNY\s*|^RMB\s*/i;

/**
 * A yuan amount (`1234.56`, `1,234.56`, `¥1,234.56`, `1e+05`) as integer fen. More than two decimals is an
 * error, as is a negative amount (also written `(1,234.56)`), and zero unless `allowZero`.
 */
export function parseAmountFen(raw: RawCell, opts: { allowZero: boolean }): Parsed<number> {
  const p = plain(raw);
  if (!p.ok) return p;
  if (p.value instanceof Date) return fail("amount.invalid", { value: p.value.toISOString().slice(0, 10) });
  const t = cellText(p.value);
  if (!t.ok) return t;
  let s = t.value;
  if (/^\(.*\)$/.test(s)) return fail("amount.negative");
  const sign = /^[+-]/.exec(s)?.[0] ?? "";
  s = sign + s.slice(sign.length).replace(CURRENCY, "").trim();
  const d = parseDecimal(s);
  if (!d) return fail("amount.invalid", { value: t.value });
  const fen = scaleToInteger(d, 2);
  if (fen === null) return fail("amount.precision", { value: t.value });
  // Above 2^53 a number no longer holds every integer: Number(text) may have rounded.
  if (fen > Number.MAX_SAFE_INTEGER) return fail("amount.tooLarge", { value: t.value });
  if (d.negative && fen !== 0) return fail("amount.negative");
  if (fen === 0 && !opts.allowZero) return fail("amount.zero");
  return ok(fen);
}

export const RATE_MAX_MICRO = 360_000;

/**
 * An annual rate as a fraction (`0.0435`) or a percentage (`4.35%`), returned as the numeric(9,6) text
 * ("0.043500"). It must lie in (0, 0.36]; `4.35` without `%` is out of range, not silently divided by 100.
 */
export function parseRate(raw: RawCell): Parsed<string> {
  const p = plain(raw);
  if (!p.ok) return p;
  if (p.value instanceof Date) return fail("rate.invalid", { value: p.value.toISOString().slice(0, 10) });
  const t = cellText(p.value);
  if (!t.ok) return t;
  const percent = t.value.endsWith("%") || t.value.endsWith("％");
  const d = parseDecimal(percent ? t.value.slice(0, -1).trim() : t.value);
  if (!d) return fail("rate.invalid", { value: t.value });
  const micro = scaleToInteger(d, percent ? 4 : 6);
  if (micro === null) return fail("rate.precision", { value: t.value });
  if (d.negative || micro <= 0 || micro > RATE_MAX_MICRO) return fail("rate.outOfRange", { value: t.value, max: "36%" });
  return ok(`${Math.floor(micro / 1_000_000)}.${String(micro % 1_000_000).padStart(6, "0")}`);
}

/** A whole number within [min, max] (term in months, installment number). */
export function parseInteger(raw: RawCell, min: number, max: number): Parsed<number> {
  const p = plain(raw);
  if (!p.ok) return p;
  if (p.value instanceof Date) return fail("integer.invalid", { value: p.value.toISOString().slice(0, 10) });
  const t = cellText(p.value);
  if (!t.ok) return t;
  if (!/^[+-]?\d{1,9}$/.test(t.value)) return fail("integer.invalid", { value: t.value });
  const n = Number(t.value);
  if (n < min || n > max) return fail("integer.outOfRange", { value: t.value, min, max });
  return ok(n);
}

// ---- dates ----

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isoOf(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

const DATE_FORMS = [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日$/];

// Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was (serial 60), as Lotus 1-2-3 did.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const EXCEL_MAX_SERIAL = 109_572; // 2199-12-31

function fromExcelSerial(serial: number): string | null {
  if (!Number.isInteger(serial) || serial < 1 || serial === 60 || serial > EXCEL_MAX_SERIAL) return null;
  const d = new Date(EXCEL_EPOCH_MS + (serial < 60 ? serial + 1 : serial) * 86_400_000);
  return isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * A calendar date as YYYY-MM-DD from `2026-03-01`, `2026/3/1`, `20260301`, `2026年3月1日`, or (XLSX only) a
 * date cell or an Excel serial number. A date with a time of day, or text like `03/01/2026`, is an error.
 */
export function parseDate(raw: RawCell): Parsed<string> {
  const p = plain(raw);
  if (!p.ok) return p;
  const v = p.value;
  if (v instanceof Date) {
    // exceljs turns date-formatted cells into UTC midnights; anything else carries a time of day.
    const ms = v.getTime();
    if (Number.isNaN(ms)) return fail("date.invalid", { value: "?" });
    const iso = ms % 86_400_000 === 0 ? isoOf(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate()) : null;
    return iso ? ok(iso) : fail("date.invalid", { value: v.toISOString() });
  }
  if (typeof v === "number") {
    const iso = fromExcelSerial(v);
    return iso ? ok(iso) : fail("date.invalid", { value: numberText(v) });
  }
  const s = v.trim();
  if (s.includes("\uFFFD")) return fail("encoding");
  for (const re of DATE_FORMS) {
    const m = re.exec(s);
    if (m) {
      const iso = isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
      return iso ? ok(iso) : fail("date.invalid", { value: s });
    }
  }
  return fail("date.invalid", { value: s });
}

// ---- codes ----

/** Unified social credit code: 18 characters with a valid check character; stored upper-case. */
export function parseCreditCode(raw: RawCell): Parsed<string> {
  const t = parseText(raw, 64);
  if (!t.ok) return t;
  const code = t.value.toUpperCase();
  const problem = checkCreditCode(code);
  return problem ? fail(`creditCode.${problem}`, { value: t.value }) : ok(code);
}

/** GB/T 4754 industry code (section letter + division, e.g. `C36`, `C3612`); stored upper-case. */
export function parseIndustryCode(raw: RawCell): Parsed<string> {
  const t = parseText(raw, 8);
  if (!t.ok) return t.code === "text.tooLong" ? fail("industryCode.invalid", { value: String(raw) }) : t;
  const code = t.value.toUpperCase();
  return isValidIndustryCode(code) ? ok(code) : fail("industryCode.invalid", { value: t.value });
}

/** A sign-in name, compared case-insensitively. */
export function parseUsername(raw: RawCell): Parsed<string> {
  const t = parseId(raw, 40);
  return t.ok ? ok(t.value.toLowerCase()) : t;
}

export type EnumOption = { value: string; labels: readonly string[] };

/** One of a fixed set, written as its code (`approved`, any case) or one of its Chinese labels (`已批准`). */
export function parseEnum(raw: RawCell, options: readonly EnumOption[]): Parsed<string> {
  const t = parseText(raw, 40);
  if (!t.ok) return t;
  const s = t.value.toLowerCase();
  const hit = options.find((o) => o.value === s || o.labels.includes(t.value));
  return hit ? ok(hit.value) : fail("enum.invalid", { value: t.value, allowed: options.map((o) => o.value).join(", ") });
}
