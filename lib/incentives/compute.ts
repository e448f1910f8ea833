// The points a set of facts earns, as of a day: pure, so the engine (./engine.ts), the property test and the
// benchmark share it. Each candidate entry is keyed (sourceKey, rule); the store keeps the first of each key, so a
// re-run, a replay or a late fact never counts twice. docs/incentives.md is the prose of this file.
import { addDays, ENDING_KINDS, periodOf, schemeFor, type Scheme, type SchemeVersion } from "./scheme";

export const POINT_RULES = ["first_contact", "retained", "retention_verified", "clawback", "clawback_reversed", "sla_breach", "churn_no_followup", "adjustment"] as const;
export type PointRule = (typeof POINT_RULES)[number];
export type EntryStatus = "pending" | "payable" | "clawed_back" | "adjusted";

export type TaskFact = {
  taskId: number;
  customerId: number;
  /** The assignee now (for a closed task, the one who closed it). */
  assigneeId: number | null;
  firstContactOn: string | null;
  /** Whether first contact happened on or before the contact deadline. */
  firstContactInTime: boolean;
  /** The author of the earliest follow-up of the task and that follow-up's id (credit for first contact). */
  firstContactBy: number | null;
  firstContactFollowUpId: number | null;
  /** Day each SLA deadline was breached and who held the task then. */
  contactBreachedOn: string | null;
  contactBreachRm: number | null;
  resolveBreachedOn: string | null;
  resolveBreachRm: number | null;
  closedOn: string | null;
  outcome: string | null;
  /** Outstanding principal of the customer's loans on the closing day (fen). */
  retainedBalanceFen: number;
  /** Everyone who recorded a follow-up on the task, with those follow-ups. */
  contributors: { rmId: number; followUpIds: number[] }[];
  /**
   * The retention shares the ledger already holds for the task, if any: once recorded a share is fixed (verification
   * and clawback pay and take back exactly it), and the loader need not compute the balance and split again.
   */
  shares?: Share[] | null;
};

export type Share = { rmId: number; points: number; followUpIds: number[]; of: number };

export type ChurnFact = {
  id: number;
  customerId: number;
  /** The customer's RM. */
  rmId: number;
  kind: string;
  effectiveOn: string;
  detectedOn: string;
  dismissed: boolean;
  /** The business day it was dismissed (decided_at), when it was. */
  dismissedOn?: string | null;
  /** Follow-ups on the customer in the scheme's look-back window before the effective day. */
  followUpIds: number[];
};

export type Candidate = {
  sourceKey: string;
  rule: PointRule;
  rmId: number;
  eventOn: string;
  schemeVersionId: number | null;
  points: number;
  status: EntryStatus;
  taskId: number | null;
  customerId: number | null;
  churnEventId: number | null;
  followUpIds: number[];
  basis: Record<string, unknown>;
};

/**
 * What the ledger already holds that changes what a share earns next: verified and clawed-back shares, the churn
 * event and points of each clawback, and the clawbacks already reversed.
 */
export type Known = {
  verified: ReadonlySet<string>;
  clawed: ReadonlySet<string>;
  clawbacks?: ReadonlyMap<string, { churnEventId: number | null; points: number }>;
  reversed?: ReadonlySet<string>;
};

const RETAINED_OUTCOMES = new Set(["retained", "restructured"]);

/** Retention points for a balance: base + perWan per 万元 (1,000,000 fen), rounded down, at most cap. */
export function retentionPoints(s: Scheme, balanceFen: number): number {
  return Math.min(s.retained.cap, s.retained.base + Math.floor((s.retained.perWan * Math.max(0, balanceFen)) / 1_000_000));
}

/**
 * Credit split of a task's retention points: equal shares among everyone who recorded a follow-up on the task and
 * the assignee who closed it; the remainder goes one point each to the closer first, then by user id.
 */
export function splitCredit(points: number, closer: number | null, contributors: readonly { rmId: number; followUpIds: number[] }[]): Share[] {
  const ids = new Map<number, number[]>();
  for (const c of contributors) ids.set(c.rmId, [...(ids.get(c.rmId) ?? []), ...c.followUpIds]);
  if (closer != null && !ids.has(closer)) ids.set(closer, []);
  const order = [...ids.keys()].sort((a, b) => (a === closer ? -1 : b === closer ? 1 : a - b));
  if (!order.length) return [];
  const each = Math.floor(points / order.length);
  let rest = points - each * order.length;
  return order.map((rmId) => ({ rmId, points: each + (rest-- > 0 ? 1 : 0), followUpIds: [...ids.get(rmId)!].sort((a, b) => a - b), of: order.length }));
}

/** Every entry the facts justify as of `asOf`, given what the ledger already knows about verification and clawback. */
export function deriveCandidates(
  tasks: readonly TaskFact[],
  churns: readonly ChurnFact[],
  versions: readonly SchemeVersion[],
  asOf: string,
  known: Known,
): Candidate[] {
  const out: Candidate[] = [];
  const ver = (day: string) => schemeFor(versions, periodOf(day));
  const live = churns.filter((c) => !c.dismissed && c.detectedOn <= asOf);
  const endingByCustomer = new Map<number, ChurnFact[]>();
  for (const c of live) {
    if (!ENDING_KINDS.has(c.kind)) continue;
    const list = endingByCustomer.get(c.customerId) ?? [];
    list.push(c);
    endingByCustomer.set(c.customerId, list);
  }
  const base = (t: TaskFact) => ({ taskId: t.taskId, customerId: t.customerId, churnEventId: null });
  const churnById = new Map(churns.map((c) => [c.id, c]));

  for (const t of tasks) {
    if (t.firstContactOn && t.firstContactOn <= asOf && t.firstContactInTime) {
      const v = ver(t.firstContactOn);
      const rm = t.firstContactBy ?? t.assigneeId;
      if (v && rm != null && v.body.firstContact.points > 0)
        out.push({ ...base(t), sourceKey: `task:${t.taskId}`, rule: "first_contact", rmId: rm, eventOn: t.firstContactOn, schemeVersionId: v.id, points: v.body.firstContact.points, status: "payable", followUpIds: t.firstContactFollowUpId ? [t.firstContactFollowUpId] : [], basis: {} });
    }
    for (const [which, on, rm] of [["contact", t.contactBreachedOn, t.contactBreachRm], ["resolve", t.resolveBreachedOn, t.resolveBreachRm]] as const) {
      if (!on || on > asOf || rm == null) continue;
      const v = ver(on);
      const points = v ? v.body.slaBreach[which] : 0;
      if (v && points < 0)
        out.push({ ...base(t), sourceKey: `task:${t.taskId}:${which}`, rule: "sla_breach", rmId: rm, eventOn: on, schemeVersionId: v.id, points, status: "payable", followUpIds: [], basis: { deadline: which } });
    }
    if (!t.closedOn || t.closedOn > asOf || !t.outcome || !RETAINED_OUTCOMES.has(t.outcome)) continue;
    const v = ver(t.closedOn);
    if (!v) continue;
    const total = t.shares ? t.shares.reduce((a, b) => a + b.points, 0) : retentionPoints(v.body, t.retainedBalanceFen);
    const verifyOn = addDays(t.closedOn, v.body.verification.days);
    const windowEnd = addDays(t.closedOn, v.body.clawback.days);
    const ending = (endingByCustomer.get(t.customerId) ?? [])
      .filter((c) => c.effectiveOn > t.closedOn! && c.effectiveOn <= windowEnd)
      .sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : a.id - b.id));
    // A relationship that ended by the verification day (as far as is known now) forfeits the share.
    const forfeit = ending.find((c) => c.effectiveOn <= verifyOn);
    for (const share of t.shares ?? splitCredit(total, t.assigneeId, t.contributors)) {
      if (share.points <= 0) continue;
      const key = `task:${t.taskId}:rm:${share.rmId}`;
      const common = { ...base(t), sourceKey: key, rmId: share.rmId, schemeVersionId: v.id, followUpIds: share.followUpIds };
      const basis = { balanceFen: t.retainedBalanceFen, taskPoints: total, shareOf: share.of, outcome: t.outcome };
      out.push({ ...common, rule: "retained", eventOn: t.closedOn, points: share.points, status: "pending", basis });
      const reversed = known.reversed?.has(key) ?? false;
      if (known.clawed.has(key) && !reversed) {
        // A clawback whose churn event was dismissed since is compensated (the ledger never edits an entry), unless
        // another relationship ending inside the window still justifies it. One clawback per share: after a
        // reversal the share may still be verified, but is never clawed back a second time.
        const claw = known.clawbacks?.get(key);
        const cause = claw?.churnEventId != null ? churnById.get(claw.churnEventId) : undefined;
        if (claw && cause?.dismissed && !ending.length)
          out.push({ ...common, churnEventId: cause.id, rule: "clawback_reversed", eventOn: cause.dismissedOn && cause.dismissedOn <= asOf ? cause.dismissedOn : asOf, points: -claw.points || 0, status: "payable", basis: { reverses: "clawback", churnKind: cause.kind, dismissed: true } });
        continue;
      }
      const verified = known.verified.has(key);
      if (!verified && forfeit) {
        out.push({ ...common, churnEventId: forfeit.id, rule: "clawback", eventOn: forfeit.effectiveOn, points: 0, status: "clawed_back", basis: { forfeited: share.points, churnKind: forfeit.kind } });
        continue;
      }
      if (!verified && verifyOn <= asOf) {
        out.push({ ...common, rule: "retention_verified", eventOn: verifyOn, points: share.points, status: "payable", basis: { closedOn: t.closedOn, days: v.body.verification.days } });
      }
      if (verified || verifyOn <= asOf) {
        // After verification: the first relationship ending inside the clawback window takes the points back.
        const c = ending[0];
        if (c)
          out.push({ ...common, churnEventId: c.id, rule: "clawback", eventOn: c.effectiveOn > verifyOn ? c.effectiveOn : verifyOn, points: -share.points, status: "clawed_back", basis: { churnKind: c.kind, windowDays: v.body.clawback.days } });
      }
    }
  }

  for (const c of live) {
    const v = ver(c.effectiveOn);
    if (!v || v.body.churnNoFollowUp.points >= 0 || !v.body.churnNoFollowUp.kinds.includes(c.kind) || c.followUpIds.length) continue;
    out.push({ sourceKey: `churn:${c.id}`, rule: "churn_no_followup", rmId: c.rmId, eventOn: c.effectiveOn, schemeVersionId: v.id, points: v.body.churnNoFollowUp.points, status: "payable", taskId: null, customerId: c.customerId, churnEventId: c.id, followUpIds: [], basis: { kind: c.kind, lookbackDays: v.body.churnNoFollowUp.lookbackDays } });
  }
  return out;
}

export type LedgerEntry = Candidate & { period: string; adjustmentId?: number | null };

/**
 * Per-RM totals of a period. Gains (positive payable entries) are capped per customer, then per period; losses,
 * clawbacks and adjustments are not capped. Pending points are shown, never paid.
 */
export type RmTotal = {
  rmId: number;
  byRule: Record<string, number>;
  pending: number;
  gains: number;
  capped: number;
  losses: number;
  adjustments: number;
  payable: number;
};

export function periodTotals(entries: readonly LedgerEntry[], scheme: Scheme | null): Map<number, RmTotal> {
  const by = new Map<number, RmTotal & { perCustomer: Map<string, number> }>();
  for (const e of entries) {
    let t = by.get(e.rmId);
    if (!t) by.set(e.rmId, (t = { rmId: e.rmId, byRule: {}, pending: 0, gains: 0, capped: 0, losses: 0, adjustments: 0, payable: 0, perCustomer: new Map() }));
    if (e.status === "pending") {
      t.pending += e.points;
      continue;
    }
    t.byRule[e.rule] = (t.byRule[e.rule] ?? 0) + e.points;
    if (e.status === "adjusted") t.adjustments += e.points;
    // A reversed clawback gives back what the (uncapped) clawback took: never capped either.
    else if (e.points > 0 && e.rule !== "clawback_reversed") {
      const k = String(e.customerId ?? "none");
      t.perCustomer.set(k, (t.perCustomer.get(k) ?? 0) + e.points);
    } else t.losses += e.points;
  }
  const out = new Map<number, RmTotal>();
  for (const [rm, t] of by) {
    let gains = 0;
    for (const g of t.perCustomer.values()) gains += scheme ? Math.min(g, scheme.caps.perCustomer) : g;
    const raw = [...t.perCustomer.values()].reduce((a, b) => a + b, 0);
    const kept = scheme ? Math.min(gains, scheme.caps.perPeriod) : gains;
    const { perCustomer: _drop, ...rest } = t;
    void _drop;
    out.set(rm, { ...rest, gains: raw, capped: kept - raw, payable: kept + t.losses + t.adjustments });
  }
  return out;
}

/**
 * The same totals from what SQL sums (HR's review): per (RM, rule, status, sign) the points, and per RM the gains
 * before and after the per-customer cap. Equal to `periodTotals` over the entries (property-tested).
 */
export function totalsFromSums(
  sums: readonly { rmId: number; rule: string; status: string; points: number }[],
  gains: ReadonlyMap<number, { raw: number; perCustomerCapped: number }>,
  scheme: Scheme | null,
): Map<number, RmTotal> {
  const by = new Map<number, RmTotal>();
  for (const e of sums) {
    let t = by.get(e.rmId);
    if (!t) by.set(e.rmId, (t = { rmId: e.rmId, byRule: {}, pending: 0, gains: 0, capped: 0, losses: 0, adjustments: 0, payable: 0 }));
    if (e.status === "pending") {
      t.pending += e.points;
      continue;
    }
    t.byRule[e.rule] = (t.byRule[e.rule] ?? 0) + e.points;
    if (e.status === "adjusted") t.adjustments += e.points;
    else if (!(e.points > 0 && e.rule !== "clawback_reversed")) t.losses += e.points;
  }
  for (const t of by.values()) {
    const g = gains.get(t.rmId) ?? { raw: 0, perCustomerCapped: 0 };
    const kept = scheme ? Math.min(g.perCustomerCapped, scheme.caps.perPeriod) : g.raw;
    Object.assign(t, { gains: g.raw, capped: kept - g.raw, payable: kept + t.losses + t.adjustments });
  }
  return by;
}
