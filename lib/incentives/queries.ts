// Scoped reads of the ledger: the periods, a period's per-RM totals (HR review, the supervisor's ranking, the RM's
// own line), and the entries with their evidence. Scope: an RM reads only their own entries, a supervisor the RMs of
// their branch, HR and admins all; out of scope is not found. Evidence names the customer, never contact data.
import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { scopeWhere, type Scope, type ScopeShape } from "../auth/scope";
import type { DbOrTx } from "../db/client";
import { NotFound } from "../errors";
import { totalsFromSums, type RmTotal } from "./compute";
import { ledgerQuerySchema, periodSchema, schemeFor } from "./scheme";

export { ledgerQuerySchema };
import { ACTIVE_SCHEME_KEY, cachedSchemes } from "./versions";

const rmShape: ScopeShape = { branch: sql`u.branch_id`, owner: sql`u.id` };
const inScope = (scope: Scope) => scopeWhere(scope, rmShape);

export type PeriodRow = { period: string; status: string; lockedAt: string | null; lockedBy: string | null; entries: number; rms: number; pending: number; points: number; adjustmentsPending: number };

export async function listPeriods(db: DbOrTx, scope: Scope): Promise<PeriodRow[]> {
  return db.execute<PeriodRow>(sql`
    select p.period, p.status, to_char(p.locked_at, 'YYYY-MM-DD HH24:MI') as "lockedAt",
      (select display_name from users x where x.id = p.locked_by) as "lockedBy",
      coalesce(s.entries, 0)::int as entries, coalesce(s.rms, 0)::int as rms, coalesce(s.pending, 0)::int as pending,
      coalesce(s.points, 0)::int as points,
      (select count(*) from incentive_adjustments a where a.period = p.period and a.status = 'proposed')::int as "adjustmentsPending"
    from incentive_periods p
    left join lateral (
      select count(*) as entries, count(distinct l.rm_id) as rms,
        sum(l.points) filter (where l.status = 'pending') as pending,
        sum(l.points) filter (where l.status <> 'pending') as points
      from incentive_ledger l join users u on u.id = l.rm_id
      where l.period = p.period and ${inScope(scope)}
    ) s on true
    order by p.period desc`) as unknown as Promise<PeriodRow[]>;
}

export type RmLine = RmTotal & { username: string; displayName: string; branchName: string | null; active: boolean; outlier: "high" | "low" | null; rank: number };
export type PeriodReview = { period: string; status: string; lockedAt: string | null; schemeVersion: number | null; rms: RmLine[]; fences: { low: number; high: number } | null };

/** Tukey's fences on the payable totals (1.5 × IQR beyond the quartiles); null below four RMs. */
export function fences(values: readonly number[]): { low: number; high: number } | null {
  if (values.length < 4) return null;
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    return s[lo]! + (s[Math.ceil(i)]! - s[lo]!) * (i - lo);
  };
  const [q1, q3] = [q(0.25), q(0.75)];
  return { low: q1 - 1.5 * (q3 - q1), high: q3 + 1.5 * (q3 - q1) };
}

export async function periodReview(db: DbOrTx, scope: Scope, period: string): Promise<PeriodReview> {
  if (!periodSchema.safeParse(period).success) throw new NotFound("period");
  // One round trip: the period, its points summed per (RM, rule, status, sign), per RM the gains before and after the
  // per-customer cap of the version in force (the SQL twin of `schemeFor`), the RMs' names, and the key of the cached
  // scheme versions. Rows ≈ RMs × rules at any ledger size; both sums read the covering index
  // incentive_ledger_review_idx only. `totalsFromSums` = `periodTotals` over the entries (property-tested).
  const [p] = await db.execute<{ status: string; locked_at: string | null; scheme_key: string; sums: [number, string, string, number][] | null; gains: [number, number, number][] | null; people: [number, string, string, string | null, boolean][] | null }>(sql`
    with e as not materialized (
      select l.rm_id, l.customer_id, l.rule, l.status, l.points from incentive_ledger l join users u on u.id = l.rm_id
      where l.period = ${period} and ${inScope(scope)}
    ), s as (
      select rm_id, rule, status, sum(points)::int as points from e group by rm_id, rule, status, sign(points)
    ), cap as (
      select (body->'caps'->>'perCustomer')::int as c from incentive_scheme_versions
      where status = 'active' and effective_from <= ${period} order by effective_from desc limit 1
    ), g as (
      select rm_id, sum(g)::int as raw, sum(least(g, coalesce((select c from cap), g)))::int as kept
      from (select rm_id, customer_id, sum(points) as g from e where status not in ('pending', 'adjusted') and points > 0 and rule <> 'clawback_reversed' group by rm_id, customer_id) x
      group by rm_id
    )
    select p.status, to_char(p.locked_at, 'YYYY-MM-DD HH24:MI') as locked_at, ${ACTIVE_SCHEME_KEY} as scheme_key,
      (select json_agg(json_build_array(s.rm_id, s.rule, s.status, s.points)) from s) as sums,
      (select json_agg(json_build_array(g.rm_id, g.raw, g.kept)) from g) as gains,
      (select json_agg(json_build_array(u.id, u.username, u.display_name, b.name, u.active)) from users u left join branches b on b.id = u.branch_id
        where u.id in (select rm_id from s)) as people
    from incentive_periods p where p.period = ${period}`);
  if (!p) throw new NotFound("period");
  const schemes = await cachedSchemes(db, p.scheme_key);
  const version = schemeFor(schemes.versions, period);
  const totals = totalsFromSums(
    (p.sums ?? []).map(([rmId, rule, status, points]) => ({ rmId, rule, status, points })),
    new Map((p.gains ?? []).map(([rmId, raw, kept]) => [rmId, { raw, perCustomerCapped: kept }])),
    version?.body ?? null,
  );
  const who = new Map((p.people ?? []).map(([id, username, displayName, branchName, active]) => [id, { username, displayName, branchName, active }]));
  const f = fences([...totals.values()].map((t) => t.payable));
  const lines = [...totals.values()]
    .map((t) => {
      const u = who.get(t.rmId);
      return { ...t, username: u?.username ?? String(t.rmId), displayName: u?.displayName ?? String(t.rmId), branchName: u?.branchName ?? null, active: u?.active ?? false, outlier: f ? (t.payable > f.high ? ("high" as const) : t.payable < f.low ? ("low" as const) : null) : null, rank: 0 };
    })
    .sort((a, b) => b.payable - a.payable || a.username.localeCompare(b.username));
  lines.forEach((l, i) => (l.rank = i + 1));
  return { period, status: p.status, lockedAt: p.locked_at, schemeVersion: version ? (schemes.numbers.get(version.id) ?? null) : null, rms: lines, fences: f };
}


export type LedgerRow = {
  id: number;
  period: string;
  eventOn: string;
  rule: string;
  points: number;
  status: string;
  sourceKey: string;
  rmUsername: string;
  rmName: string;
  schemeVersion: number | null;
  taskId: number | null;
  customerId: number | null;
  customerNo: string | null;
  customerName: string | null;
  churnEventId: number | null;
  churnKind: string | null;
  followUpIds: number[];
  adjustmentId: number | null;
  basis: Record<string, unknown>;
  /** For a pending retention share: 'awaiting' verification, or settled as 'verified' / 'clawed_back'. */
  settlement: string | null;
  verifyOn: string | null;
};

/** Entries with their evidence, by RM (username) and/or period; an RM out of scope is not found. */
export async function ledgerEntries(db: DbOrTx, scope: Scope, q: z.output<typeof ledgerQuerySchema>, self?: number): Promise<LedgerRow[]> {
  let rmId: number | undefined;
  if (q.rm) {
    const [u] = await db.execute<{ id: number }>(sql`select u.id from users u where u.username = ${q.rm} and ${inScope(scope)}`);
    if (!u) throw new NotFound("rm");
    rmId = u.id;
  } else if (scope.kind === "owner") rmId = scope.rmId;
  else if (!q.period) rmId = self;
  if (q.period && !periodSchema.safeParse(q.period).success) throw new NotFound("period");
  return db.execute<LedgerRow>(sql`
    select l.id::int as id, l.period, to_char(l.event_on, 'YYYY-MM-DD') as "eventOn", l.rule, l.points, l.status::text as status,
      l.source_key as "sourceKey", u.username as "rmUsername", u.display_name as "rmName",
      (select version from incentive_scheme_versions v where v.id = l.scheme_version_id) as "schemeVersion",
      l.task_id as "taskId", l.customer_id as "customerId", c.customer_no as "customerNo", c.name as "customerName",
      l.churn_event_id::int as "churnEventId", (select ce.kind::text from churn_events ce where ce.id = l.churn_event_id) as "churnKind",
      l.follow_up_ids as "followUpIds", l.adjustment_id as "adjustmentId", l.basis,
      case when l.status = 'pending' then coalesce(
        (select case s.rule when 'retention_verified' then 'verified' else 'clawed_back' end from incentive_ledger s
          where s.source_key = l.source_key and s.rule in ('retention_verified', 'clawback')
            and not (s.rule = 'clawback' and exists (select 1 from incentive_ledger z where z.source_key = l.source_key and z.rule = 'clawback_reversed'))
          order by s.id limit 1), 'awaiting') end as settlement,
      case when l.status = 'pending' then to_char(l.event_on + coalesce((v.body->'verification'->>'days')::int, 90), 'YYYY-MM-DD') end as "verifyOn"
    from incentive_ledger l join users u on u.id = l.rm_id
    left join customers c on c.id = l.customer_id
    left join incentive_scheme_versions v on v.id = l.scheme_version_id
    where ${inScope(scope)} ${rmId != null ? sql`and l.rm_id = ${rmId}` : sql``} ${q.period ? sql`and l.period = ${q.period}` : sql``}
    order by l.period desc, l.event_on desc, l.id desc
    limit 5000`) as unknown as Promise<LedgerRow[]>;
}

export type AdjustmentRow = { id: number; period: string; rmUsername: string; rmName: string; points: number; reason: string; status: string; proposedBy: number; proposedByName: string; proposedAt: string; decidedByName: string | null; decidedAt: string | null };

export async function listAdjustments(db: DbOrTx, scope: Scope, period?: string): Promise<AdjustmentRow[]> {
  return db.execute<AdjustmentRow>(sql`
    select a.id, a.period, u.username as "rmUsername", u.display_name as "rmName", a.points, a.reason, a.status,
      a.proposed_by as "proposedBy", (select display_name from users x where x.id = a.proposed_by) as "proposedByName",
      to_char(a.proposed_at, 'YYYY-MM-DD HH24:MI') as "proposedAt",
      (select display_name from users x where x.id = a.decided_by) as "decidedByName", to_char(a.decided_at, 'YYYY-MM-DD HH24:MI') as "decidedAt"
    from incentive_adjustments a join users u on u.id = a.rm_id
    where ${inScope(scope)} ${period ? sql`and a.period = ${period}` : sql``}
    order by a.id desc limit 1000`) as unknown as Promise<AdjustmentRow[]>;
}

/** The RMs in scope (active first), for choosing whom an adjustment is for. */
export async function listRms(db: DbOrTx, scope: Scope): Promise<{ username: string; displayName: string; active: boolean }[]> {
  return db.execute<{ username: string; displayName: string; active: boolean }>(sql`
    select u.username, u.display_name as "displayName", u.active from users u
    where u.role = 'rm' and ${inScope(scope)} order by u.active desc, u.username`) as unknown as Promise<{ username: string; displayName: string; active: boolean }[]>;
}
