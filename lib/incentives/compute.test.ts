// The ledger equals a recomputation from the events: random facts delivered in any order, in pieces, with replays,
// the engine run at random days in between, periods locked on the way. Pure (./compute.ts and an in-memory store
// that keeps the first entry per (source, rule) and lands entries as the database does).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveCandidates, periodTotals, splitCredit, totalsFromSums, type ChurnFact, type LedgerEntry, type Share, type TaskFact } from "./compute";
import { addDays, DEFAULT_SCHEME, landingPeriod, periodOf, type SchemeVersion } from "./scheme";

const START = "2025-01-01";
const versions: SchemeVersion[] = [
  { id: 1, effectiveFrom: "2000-01", body: { ...DEFAULT_SCHEME, caps: { perCustomer: 30, perPeriod: 70 } } },
  { id: 2, effectiveFrom: "2025-06", body: { ...DEFAULT_SCHEME, retained: { base: 5, perWan: 0.1, cap: 40 }, verification: { days: 60 }, clawback: { days: 120 }, caps: { perCustomer: 45, perPeriod: 90 } } },
];

const dayArb = fc.integer({ min: 0, max: 420 }).map((n) => addDays(START, n));
const rmArb = fc.integer({ min: 1, max: 4 });

const taskArb = (taskId: number) =>
  fc
    .record({
      customerId: fc.integer({ min: 1, max: 6 }),
      assigneeId: fc.option(rmArb, { nil: null }),
      contactOn: fc.option(dayArb, { nil: null }),
      inTime: fc.boolean(),
      firstBy: fc.option(rmArb, { nil: null }),
      contactBreach: fc.option(fc.tuple(dayArb, rmArb), { nil: null }),
      resolveBreach: fc.option(fc.tuple(dayArb, rmArb), { nil: null }),
      closedOn: fc.option(dayArb, { nil: null }),
      outcome: fc.constantFrom("retained", "restructured", "churned", "false_alarm", null),
      balance: fc.integer({ min: 0, max: 2_000_000_000 }),
      contributors: fc.uniqueArray(rmArb, { maxLength: 3 }),
    })
    .map(
      (r): TaskFact => ({
        taskId,
        customerId: r.customerId,
        assigneeId: r.assigneeId,
        firstContactOn: r.contactOn,
        firstContactInTime: r.inTime,
        firstContactBy: r.firstBy,
        firstContactFollowUpId: r.contactOn ? taskId * 10 : null,
        contactBreachedOn: r.contactBreach?.[0] ?? null,
        contactBreachRm: r.contactBreach?.[1] ?? null,
        resolveBreachedOn: r.resolveBreach?.[0] ?? null,
        resolveBreachRm: r.resolveBreach?.[1] ?? null,
        closedOn: r.closedOn,
        outcome: r.closedOn ? r.outcome : null,
        retainedBalanceFen: r.balance,
        contributors: r.contributors.map((rmId, i) => ({ rmId, followUpIds: [taskId * 10 + i] })),
      }),
    );

const churnArb = (id: number) =>
  fc
    .record({
      customerId: fc.integer({ min: 1, max: 6 }),
      rmId: rmArb,
      kind: fc.constantFrom("default", "prepaid_in_full", "large_partial_prepayment", "matured_not_renewed", "application_rejected"),
      effectiveOn: dayArb,
      lag: fc.integer({ min: 0, max: 120 }),
      dismissed: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      followed: fc.boolean(),
    })
    .map((r): ChurnFact => ({ id, customerId: r.customerId, rmId: r.rmId, kind: r.kind, effectiveOn: r.effectiveOn, detectedOn: addDays(r.effectiveOn, r.lag), dismissed: r.dismissed, followUpIds: r.followed ? [id * 7] : [] }));

const worldArb = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 8 }))
  .chain(([nt, nc]) => fc.tuple(fc.tuple(...Array.from({ length: nt }, (_, i) => taskArb(i + 1))), fc.tuple(...Array.from({ length: nc }, (_, i) => churnArb(i + 1)))));

/** The database in miniature: first entry per (source, rule) wins; entries land in the first open period. */
class Store {
  entries: LedgerEntry[] = [];
  locked = new Set<string>();
  private keys = new Set<string>();
  run(facts: readonly TaskFact[], churns: readonly ChurnFact[], asOf: string) {
    // As the database's loader: a task's recorded retention shares come from the ledger.
    const shares = new Map<number, Share[]>();
    for (const e of this.entries) if (e.rule === "retained") shares.set(e.taskId!, [...(shares.get(e.taskId!) ?? []), { rmId: e.rmId, points: e.points, followUpIds: e.followUpIds, of: Number(e.basis.shareOf) }]);
    const tasks = facts.map((t) => ({ ...t, shares: shares.get(t.taskId) ?? null }));
    const verified = new Set(this.entries.filter((e) => e.rule === "retention_verified").map((e) => e.sourceKey));
    const clawed = new Set(this.entries.filter((e) => e.rule === "clawback").map((e) => e.sourceKey));
    for (const c of deriveCandidates(tasks, churns, versions, asOf, { verified, clawed })) {
      const k = `${c.sourceKey}|${c.rule}`;
      if (this.keys.has(k)) continue;
      this.keys.add(k);
      this.entries.push({ ...c, period: landingPeriod(periodOf(c.eventOn), this.locked) });
    }
  }
}

/** What must match whatever the order: per RM, the points paid (net) and the points still pending verification. */
function summary(entries: readonly LedgerEntry[]) {
  const out: Record<number, { payable: number; awaiting: number; penalties: number }> = {};
  const settled = new Set(entries.filter((e) => e.rule === "retention_verified" || e.rule === "clawback").map((e) => e.sourceKey));
  for (const e of entries) {
    const s = (out[e.rmId] ??= { payable: 0, awaiting: 0, penalties: 0 });
    if (e.status === "pending") {
      if (!settled.has(e.sourceKey)) s.awaiting += e.points;
    } else s.payable += e.points;
    if (e.rule === "sla_breach" || e.rule === "churn_no_followup") s.penalties += e.points;
  }
  return out;
}

function duplicates(entries: readonly LedgerEntry[]) {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const k = `${e.sourceKey}|${e.rule}`;
    return seen.has(k) || !seen.add(k);
  });
}

const END = addDays(START, 420 + 400);

describe("incentive ledger", () => {
  it("equals a recomputation from the events, in any order, with replays, late facts and locked periods", () => {
    fc.assert(
      fc.property(
        worldArb,
        fc.array(fc.tuple(fc.nat(), fc.nat(), dayArb, fc.boolean()), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        ([tasks, churns], steps, seed) => {
          const truth = new Store();
          truth.run(tasks, churns, END);
          // Facts delivered in a shuffled order, a growing prefix per step (replays: every step re-delivers the prefix).
          const rng = fc.sample(fc.shuffledSubarray([...Array(tasks.length + churns.length).keys()], { minLength: tasks.length + churns.length }), { seed, numRuns: 1 })[0]!;
          const store = new Store();
          const snapshot = new Map<string, string>();
          let asOf = START;
          for (const [n, lockAt, day, lock] of steps) {
            const upto = rng.slice(0, Math.min(rng.length, 1 + (n % Math.max(1, rng.length))));
            const t = upto.filter((i) => i < tasks.length).map((i) => tasks[i]!);
            const c = upto.filter((i) => i >= tasks.length).map((i) => churns[i - tasks.length]!);
            if (day > asOf) asOf = day;
            store.run(t, c, asOf);
            store.run(t, c, asOf); // a replay changes nothing
            if (lock) {
              const p = periodOf(addDays(START, lockAt % 420));
              if (!store.locked.has(p)) {
                store.locked.add(p);
                snapshot.set(p, JSON.stringify(store.entries.filter((e) => e.period === p)));
              }
            }
          }
          store.run(tasks, churns, END);
          expect(duplicates(store.entries)).toEqual([]);
          expect(summary(store.entries)).toEqual(summary(truth.entries));
          // A locked period is unchanged after its lock.
          for (const [p, before] of snapshot) expect(JSON.stringify(store.entries.filter((e) => e.period === p))).toBe(before);
          // Without locks or late facts, the entries are the recomputation's exactly (same keys, points, periods).
          if (!store.locked.size) {
            const key = (e: LedgerEntry) => `${e.sourceKey}|${e.rule}|${e.rmId}|${e.status}`;
            const strip = (es: LedgerEntry[]) => es.filter((e) => e.rule !== "retention_verified" && e.rule !== "clawback").map((e) => `${key(e)}|${e.points}|${e.period}`).sort();
            expect(strip(store.entries)).toEqual(strip(truth.entries));
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it("caps gains per customer and per period, never losses, reversed clawbacks or adjustments, whatever the order of entries", () => {
    const entryArb = fc.record({
      rmId: rmArb,
      customerId: fc.integer({ min: 1, max: 4 }),
      points: fc.integer({ min: -20, max: 40 }),
      status: fc.constantFrom("payable" as const, "pending" as const, "clawed_back" as const, "adjusted" as const),
      rule: fc.constantFrom("first_contact" as const, "retention_verified" as const, "clawback_reversed" as const),
    });
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 40 }), fc.integer({ min: 0, max: 1000 }), (raw, seed) => {
        const entries: LedgerEntry[] = raw.map((r, i) => ({ sourceKey: `s${i}`, rule: r.status === "adjusted" ? "adjustment" : r.rule, rmId: r.rmId, eventOn: START, period: "2025-01", schemeVersionId: 1, points: r.points, status: r.status, taskId: null, customerId: r.customerId, churnEventId: null, followUpIds: [], basis: {} }));
        const scheme = versions[0]!.body;
        const shuffled = fc.sample(fc.shuffledSubarray(entries, { minLength: entries.length }), { seed, numRuns: 1 })[0]!;
        const a = periodTotals(entries, scheme);
        expect(periodTotals(shuffled, scheme)).toEqual(a);
        for (const rm of new Set(entries.map((e) => e.rmId))) {
          const mine = entries.filter((e) => e.rmId === rm);
          const gainsBy = new Map<number, number>();
          for (const e of mine) if (e.status !== "pending" && e.status !== "adjusted" && e.points > 0 && e.rule !== "clawback_reversed") gainsBy.set(e.customerId!, (gainsBy.get(e.customerId!) ?? 0) + e.points);
          const gains = Math.min(scheme.caps.perPeriod, [...gainsBy.values()].reduce((s, g) => s + Math.min(g, scheme.caps.perCustomer), 0));
          const rest = mine.filter((e) => e.status !== "pending" && (e.status === "adjusted" || e.points <= 0 || e.rule === "clawback_reversed")).reduce((s, e) => s + e.points, 0);
          expect(a.get(rm)!.payable).toBe(gains + rest);
        }
        // What HR's review sums in SQL gives the same totals.
        const sums = new Map<string, { rmId: number; rule: string; status: string; points: number }>();
        const perCustomer = new Map<string, { rmId: number; g: number }>();
        for (const e of shuffled) {
          const k = `${e.rmId}|${e.rule}|${e.status}|${Math.sign(e.points)}`;
          const s = sums.get(k) ?? { rmId: e.rmId, rule: e.rule, status: e.status, points: 0 };
          s.points += e.points;
          sums.set(k, s);
          if (e.status !== "pending" && e.status !== "adjusted" && e.points > 0 && e.rule !== "clawback_reversed") {
            const c = perCustomer.get(`${e.rmId}|${e.customerId}`) ?? { rmId: e.rmId, g: 0 };
            c.g += e.points;
            perCustomer.set(`${e.rmId}|${e.customerId}`, c);
          }
        }
        const gains = new Map<number, { raw: number; perCustomerCapped: number }>();
        for (const c of perCustomer.values()) {
          const g = gains.get(c.rmId) ?? { raw: 0, perCustomerCapped: 0 };
          g.raw += c.g;
          g.perCustomerCapped += Math.min(c.g, scheme.caps.perCustomer);
          gains.set(c.rmId, g);
        }
        const fromSums = totalsFromSums([...sums.values()], gains, scheme);
        expect(new Map([...fromSums].sort(([x], [y]) => x - y))).toEqual(new Map([...a].sort(([x], [y]) => x - y)));
      }),
    );
  });

  it("splits a reassigned task's retention points equally, the remainder to the closer first", () => {
    expect(splitCredit(11, 3, [{ rmId: 5, followUpIds: [9] }, { rmId: 2, followUpIds: [4] }])).toEqual([
      { rmId: 3, points: 4, followUpIds: [], of: 3 },
      { rmId: 2, points: 4, followUpIds: [4], of: 3 },
      { rmId: 5, points: 3, followUpIds: [9], of: 3 },
    ]);
  });

  it("makes retention payable only after verification and takes it back on a churn in the window", () => {
    const t: TaskFact = { taskId: 1, customerId: 1, assigneeId: 7, firstContactOn: null, firstContactInTime: false, firstContactBy: null, firstContactFollowUpId: null, contactBreachedOn: null, contactBreachRm: null, resolveBreachedOn: null, resolveBreachRm: null, closedOn: "2025-02-01", outcome: "retained", retainedBalanceFen: 500_000_000, contributors: [] };
    const none = { verified: new Set<string>(), clawed: new Set<string>() };
    expect(deriveCandidates([t], [], versions, "2025-04-30", none).map((c) => [c.rule, c.status, c.points])).toEqual([["retained", "pending", 35]]);
    expect(deriveCandidates([t], [], versions, "2025-05-02", none).map((c) => [c.rule, c.points, c.eventOn])).toEqual([["retained", 35, "2025-02-01"], ["retention_verified", 35, "2025-05-02"]]);
    const churn: ChurnFact = { id: 9, customerId: 1, rmId: 7, kind: "default", effectiveOn: "2025-06-15", detectedOn: "2025-06-15", dismissed: false, followUpIds: [1] };
    const after = deriveCandidates([t], [churn], versions, "2025-07-01", { verified: new Set(["task:1:rm:7"]), clawed: new Set() });
    expect(after.map((c) => [c.rule, c.points, c.status])).toEqual([["retained", 35, "pending"], ["clawback", -35, "clawed_back"]]);
    const early = { ...churn, effectiveOn: "2025-03-01", detectedOn: "2025-03-01" };
    expect(deriveCandidates([t], [early], versions, "2025-07-01", none).map((c) => [c.rule, c.points])).toEqual([["retained", 35], ["clawback", 0]]);
  });

  it("reverses a clawback whose churn event was dismissed, once, unless another ending in the window justifies it", () => {
    const t: TaskFact = { taskId: 1, customerId: 1, assigneeId: 7, firstContactOn: null, firstContactInTime: false, firstContactBy: null, firstContactFollowUpId: null, contactBreachedOn: null, contactBreachRm: null, resolveBreachedOn: null, resolveBreachRm: null, closedOn: "2025-02-01", outcome: "retained", retainedBalanceFen: 500_000_000, contributors: [] };
    const key = "task:1:rm:7";
    const dismissed: ChurnFact = { id: 9, customerId: 1, rmId: 7, kind: "default", effectiveOn: "2025-06-15", detectedOn: "2025-06-15", dismissed: true, dismissedOn: "2025-07-10", followUpIds: [1] };
    const clawedAfter = { verified: new Set([key]), clawed: new Set([key]), clawbacks: new Map([[key, { churnEventId: 9, points: -35 }]]) };
    const rules = (cs: ReturnType<typeof deriveCandidates>) => cs.map((c) => [c.rule, c.points, c.eventOn, c.churnEventId]);
    // After verification: the reversal gives the share back on the day HR dismissed the event.
    expect(rules(deriveCandidates([t], [dismissed], versions, "2025-07-31", clawedAfter))).toEqual([["retained", 35, "2025-02-01", null], ["clawback_reversed", 35, "2025-07-10", 9]]);
    // Once reversed, nothing more: no second clawback, no second reversal.
    const reversed = { ...clawedAfter, reversed: new Set([key]) };
    const other: ChurnFact = { ...dismissed, id: 10, kind: "prepaid_in_full", effectiveOn: "2025-07-20", detectedOn: "2025-07-20", dismissed: false, dismissedOn: null };
    expect(rules(deriveCandidates([t], [dismissed], versions, "2025-07-31", reversed))).toEqual([["retained", 35, "2025-02-01", null]]);
    // Another relationship ending inside the window keeps the clawback standing.
    expect(rules(deriveCandidates([t], [dismissed, other], versions, "2025-07-31", clawedAfter))).toEqual([["retained", 35, "2025-02-01", null]]);
    // A forfeiture (clawback 0 before verification) is reversed with 0, and the share is verified on a later run.
    const early = { ...dismissed, effectiveOn: "2025-03-01", detectedOn: "2025-03-01" };
    const forfeited = { verified: new Set<string>(), clawed: new Set([key]), clawbacks: new Map([[key, { churnEventId: 9, points: 0 }]]) };
    expect(rules(deriveCandidates([t], [early], versions, "2025-07-31", forfeited))).toEqual([["retained", 35, "2025-02-01", null], ["clawback_reversed", 0, "2025-07-10", 9]]);
    expect(rules(deriveCandidates([t], [early], versions, "2025-07-31", { ...forfeited, reversed: new Set([key]) }))).toEqual([["retained", 35, "2025-02-01", null], ["retention_verified", 35, "2025-05-02", null]]);
  });
});
