// Display formatting shared by server pages and client components. Pure and locale-stable: the same string on
// the server and in the browser, so hydration never disagrees. Money arrives as integer fen.
const grouped2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const grouped0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 123456789 fen → "1,234,567.89" (yuan). */
export function formatYuan(fen: number): string {
  return grouped2.format(fen / 100);
}

/** 123456789 fen → "123.46" (万元, i.e. units of 10,000 yuan). */
export function formatWan(fen: number): string {
  return grouped2.format(fen / 1_000_000);
}

/** Fen → number of 万元, for statistic cards and charts. */
export function fenToWan(fen: number): number {
  return Math.round(fen / 10_000) / 100;
}

export function formatCount(n: number): string {
  return grouped0.format(n);
}

/** "0.043500" (annual rate as a fraction) → "4.35%". */
export function formatRate(rate: string | number): string {
  const n = typeof rate === "number" ? rate : Number(rate);
  if (!Number.isFinite(n)) return String(rate);
  return `${(n * 100).toFixed(2)}%`;
}

/** A date column ("YYYY-MM-DD") or a timestamp → "YYYY-MM-DD" in Asia/Shanghai. */
export function formatDate(v: string | Date | null | undefined): string {
  if (v == null) return "";
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = typeof v === "string" ? new Date(v) : v;
  if (Number.isNaN(d.getTime())) return String(v);
  return parts(d).slice(0, 3).join("-");
}

/** A timestamp → "YYYY-MM-DD HH:mm" in Asia/Shanghai. */
export function formatDateTime(v: string | Date | null | undefined): string {
  if (v == null) return "";
  const d = typeof v === "string" ? new Date(v) : v;
  if (Number.isNaN(d.getTime())) return String(v);
  const [y, m, day, h, min] = parts(d);
  return `${y}-${m}-${day} ${h}:${min}`;
}

const shanghai = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parts(d: Date): string[] {
  const p = Object.fromEntries(shanghai.formatToParts(d).map((x) => [x.type, x.value]));
  return [p.year ?? "", p.month ?? "", p.day ?? "", p.hour ?? "", p.minute ?? ""];
}

/**
 * Large amounts as each language's readers count them: 万元 (10,000 yuan) in Chinese, millions of yuan in English
 * (an English reader does not think in ten-thousands). `unit` is the message key under `common` that names it.
 */
export function moneyScale(locale: string): { divisor: number; unit: "wan" | "million" } {
  return locale.startsWith("zh") ? { divisor: 1_000_000, unit: "wan" } : { divisor: 100_000_000, unit: "million" };
}

/** Fen → the locale's large unit (see moneyScale), two decimals, as a number for charts and cards. */
export function fenToScale(fen: number, locale: string): number {
  return Math.round((fen / moneyScale(locale).divisor) * 100) / 100;
}

/** A share (0.0123) → "1.2%"; null (nothing to divide) → "—". */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  return share == null || !Number.isFinite(share) ? "—" : `${(share * 100).toFixed(digits)}%`;
}

/** met / decided as a share, null when nothing was decided. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
