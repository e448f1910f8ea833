// The incentive scheme: point rules as data (values and windows), one JSON body per scheme version. Pure: the
// editor, the engine and the tests share it. docs/incentives.md explains every rule.
import { z } from "zod";

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const periodSchema = z.string().regex(PERIOD, "period");

/** POST /api/v1/incentives/adjustments. */
export const adjustmentSchema = z
  .object({
    period: periodSchema,
    rm: z.string().trim().min(1).max(100),
    points: z.number().int().min(-10_000).max(10_000).refine((n) => n !== 0, "nonZero"),
    reason: z.string().trim().min(5).max(500),
  })
  .strict();

/** GET /api/v1/incentives/ledger. */
export const ledgerQuerySchema = z.object({ rm: z.string().trim().min(1).max(100).optional(), period: periodSchema.optional() }).strict();

const pts = (min: number, max: number) => z.number().int().min(min).max(max);

export const schemeSchema = z
  .object({
    /** First contact on or before the task's contact deadline. */
    firstContact: z.object({ points: pts(0, 1000) }).strict(),
    /** Task resolved as retained or restructured: base + perWan × retained balance in 万元, at most cap; pending. */
    retained: z.object({ base: pts(0, 10_000), perWan: z.number().min(0).max(100), cap: pts(0, 100_000) }).strict(),
    /** Retention points become payable this many days after the task closed, if no relationship ended meanwhile. */
    verification: z.object({ days: z.number().int().min(1).max(730) }).strict(),
    /** A relationship ending within this many days of the task's close takes the retention points back. */
    clawback: z.object({ days: z.number().int().min(1).max(1095) }).strict(),
    /** SLA breaches (non-positive): missed first-contact deadline, missed resolution deadline. */
    slaBreach: z.object({ contact: pts(-1000, 0), resolve: pts(-1000, 0) }).strict(),
    /** A churn event of these kinds with no follow-up on the customer in the look-back window (non-positive). */
    churnNoFollowUp: z
      .object({ points: pts(-1000, 0), lookbackDays: z.number().int().min(1).max(730), kinds: z.array(z.string().min(1)).min(1).max(20) })
      .strict(),
    /** Caps on gains: per RM and customer in a period, and per RM in a period. */
    caps: z.object({ perCustomer: pts(1, 1_000_000), perPeriod: pts(1, 10_000_000) }).strict(),
  })
  .strict();

export type Scheme = z.infer<typeof schemeSchema>;

export const DEFAULT_SCHEME: Scheme = {
  firstContact: { points: 2 },
  retained: { base: 10, perWan: 0.05, cap: 60 },
  verification: { days: 90 },
  clawback: { days: 180 },
  slaBreach: { contact: -2, resolve: -3 },
  churnNoFollowUp: { points: -8, lookbackDays: 90, kinds: ["prepaid_in_full", "matured_not_renewed", "approved_not_drawn", "default", "terminated"] },
  caps: { perCustomer: 80, perPeriod: 400 },
};

/** Kinds that end a relationship (docs/churn.md "Customer status": all but a large partial prepayment). */
export const ENDING_KINDS = new Set([
  "application_rejected",
  "application_withdrawn",
  "approved_not_drawn",
  "prepaid_in_full",
  "default",
  "terminated",
  "written_off",
  "matured_not_renewed",
  "other",
]);

export type SchemeVersion = { id: number; effectiveFrom: string; body: Scheme };

/** The version in force for a period: the approved one with the latest effective period on or before it. */
export function schemeFor(versions: readonly SchemeVersion[], period: string): SchemeVersion | null {
  let best: SchemeVersion | null = null;
  for (const v of versions) if (v.effectiveFrom <= period && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}

export const periodOf = (day: string) => day.slice(0, 7);

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function nextPeriod(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** Where an entry of `eventPeriod` lands: that period, or the first later one that is not locked. */
export function landingPeriod(eventPeriod: string, locked: ReadonlySet<string>): string {
  let p = eventPeriod;
  while (locked.has(p)) p = nextPeriod(p);
  return p;
}
