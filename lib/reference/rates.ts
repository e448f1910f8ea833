// LPR reference rates (1-year and 5-year, by effective date), edited by admins. The rate-spread feature reads the
// latest rate on or before a loan's drawdown, so an edit takes effect at the next evaluation (event or nightly run).
// Rates are stored as fractions (0.031000) and entered in percent (3.10); one rate per kind and date.
import "server-only";
import { and, asc, desc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Db, DbOrTx } from "../db/client";
import { referenceRates } from "../db/schema";
import { Invalid, NotFound, isUniqueViolation, type Issue } from "../errors";
import { LPR_KINDS } from "../rules/features";
import { isIsoDate, todayIn } from "../time";

export const RATE_KINDS = [LPR_KINDS.oneYear, LPR_KINDS.fiveYear] as const;
export type RateKind = (typeof RATE_KINDS)[number];

// The LPR was first published in 2013; an effective date more than a year ahead is a typo, not an announcement.
export const RATE_BOUNDS = { minPct: 0.01, maxPct: 20, decimals: 4, earliest: "2013-10-25", daysAhead: 366 } as const;

export type RateRow = { id: number; kind: RateKind; effectiveOn: string; ratePct: number; createdAt: string };

// Issue codes are stable: the UI renders them through the catalogue (reference.errors.<code>).
export const rateInputSchema = z.object({
  kind: z.enum(RATE_KINDS, { error: "expected LPR1Y or LPR5Y" }),
  effectiveOn: z.string({ error: "expected a YYYY-MM-DD date" }),
  ratePct: z.number({ error: "expected a number (percent)" }),
});
export type RateInput = z.input<typeof rateInputSchema>;

/** Percent with up to 4 decimals → the stored fraction with 6 ("3.45" → "0.034500"), without float drift. */
export function pctToFraction(pct: number): string {
  return (Math.round(pct * 10_000) / 1_000_000).toFixed(6);
}
export function fractionToPct(f: string | number): number {
  return Math.round(Number(f) * 1_000_000) / 10_000;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Validates a rate entry; every problem is one field issue with a stable code. */
export function checkRate(input: unknown, today = todayIn()): { kind: RateKind; effectiveOn: string; rate: string } {
  const parsed = rateInputSchema.safeParse(input);
  const issues: Issue[] = [];
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = String(i.path[0] ?? "(root)");
      issues.push({ field, code: field === "kind" ? "rateKind" : field === "effectiveOn" ? "rateDate" : field === "ratePct" ? "rateValue" : i.code, detail: i.message });
    }
    throw new Invalid(issues);
  }
  const { kind, effectiveOn, ratePct } = parsed.data;
  const latest = addDays(today, RATE_BOUNDS.daysAhead);
  if (!isIsoDate(effectiveOn)) issues.push({ field: "effectiveOn", code: "rateDate" });
  else if (effectiveOn < RATE_BOUNDS.earliest || effectiveOn > latest)
    issues.push({ field: "effectiveOn", code: "rateDateRange", params: { earliest: RATE_BOUNDS.earliest, latest } });
  const scaled = ratePct * 10 ** RATE_BOUNDS.decimals;
  if (!Number.isFinite(ratePct) || ratePct < RATE_BOUNDS.minPct || ratePct > RATE_BOUNDS.maxPct)
    issues.push({ field: "ratePct", code: "rateRange", params: { min: RATE_BOUNDS.minPct, max: RATE_BOUNDS.maxPct } });
  else if (Math.abs(scaled - Math.round(scaled)) > 1e-6)
    issues.push({ field: "ratePct", code: "rateDecimals", params: { decimals: RATE_BOUNDS.decimals } });
  if (issues.length) throw new Invalid(issues);
  return { kind, effectiveOn, rate: pctToFraction(ratePct) };
}

const duplicate = (kind: string, effectiveOn: string) =>
  new Invalid([{ field: "effectiveOn", code: "rateDuplicate", params: { kind, effectiveOn } }]);

const columns = { id: referenceRates.id, kind: referenceRates.kind, effectiveOn: referenceRates.effectiveOn, rate: referenceRates.rate, createdAt: referenceRates.createdAt };
type Raw = { id: number; kind: string; effectiveOn: string; rate: string; createdAt: Date };
const toRow = (r: Raw): RateRow => ({ id: r.id, kind: r.kind as RateKind, effectiveOn: r.effectiveOn, ratePct: fractionToPct(r.rate), createdAt: r.createdAt.toISOString() });
const snapshot = (r: Raw) => ({ kind: r.kind, effectiveOn: r.effectiveOn, rate: r.rate });

/** Every LPR entry, newest date first (1-year before 5-year on the same date). */
export async function listRates(db: DbOrTx): Promise<RateRow[]> {
  const rows = await db.select(columns).from(referenceRates).orderBy(desc(referenceRates.effectiveOn), asc(referenceRates.kind));
  return rows.filter((r) => (RATE_KINDS as readonly string[]).includes(r.kind)).map(toRow);
}

async function taken(tx: DbOrTx, kind: string, effectiveOn: string, exceptId?: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: referenceRates.id })
    .from(referenceRates)
    .where(and(eq(referenceRates.kind, kind), eq(referenceRates.effectiveOn, effectiveOn), exceptId === undefined ? undefined : ne(referenceRates.id, exceptId)));
  return !!row;
}

export async function addRate(db: Db, actor: AuditActor, input: unknown, today = todayIn()): Promise<RateRow> {
  const v = checkRate(input, today);
  try {
    return await db.transaction(async (tx) => {
      if (await taken(tx, v.kind, v.effectiveOn)) throw duplicate(v.kind, v.effectiveOn);
      const [row] = await tx.insert(referenceRates).values(v).returning(columns);
      await audit(tx, actor, { action: "referenceRate.add", entity: "reference_rate", entityId: row!.id, after: snapshot(row!) });
      return toRow(row!);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(v.kind, v.effectiveOn);
    throw e;
  }
}

/** Corrects an entry (its rate, date or kind); the old values stay in the audit log. */
export async function updateRate(db: Db, actor: AuditActor, id: number, input: unknown, today = todayIn()): Promise<RateRow> {
  const v = checkRate(input, today);
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select(columns).from(referenceRates).where(eq(referenceRates.id, id)).for("update");
      if (!before) throw new NotFound("referenceRate");
      if (await taken(tx, v.kind, v.effectiveOn, id)) throw duplicate(v.kind, v.effectiveOn);
      const [row] = await tx.update(referenceRates).set(v).where(eq(referenceRates.id, id)).returning(columns);
      await audit(tx, actor, { action: "referenceRate.update", entity: "reference_rate", entityId: id, before: snapshot(before), after: snapshot(row!) });
      return toRow(row!);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(v.kind, v.effectiveOn);
    throw e;
  }
}

export async function deleteRate(db: Db, actor: AuditActor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(referenceRates).where(eq(referenceRates.id, id)).returning(columns);
    if (!row) throw new NotFound("referenceRate");
    await audit(tx, actor, { action: "referenceRate.delete", entity: "reference_rate", entityId: id, before: snapshot(row) });
  });
}
