// Postgres timestamps reach us as text ("2026-11-29 03:30:00.123+00", drizzle keeps them raw): API answers carry ISO
// 8601 instead, which every client parses the same way.
const PG_TS = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/;

export function isoTime(v: string): string {
  const m = PG_TS.exec(v);
  return m ? new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? "00"}`).toISOString() : v;
}

/** The row with every Postgres timestamp string turned into ISO 8601 (other values untouched). */
export function isoRow<T extends object>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === "string" ? isoTime(v) : v;
  return out as T;
}
