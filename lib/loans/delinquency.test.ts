import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketOf,
  classify,
  computeDelinquency,
  DEFAULT_DELINQUENCY_CONFIG,
  delinquencyConfigSchema,
  payoffQuoteFen,
  type DelinquencyConfig,
  type DelinquencyInput,
  type DelinquencyResult,
} from "./delinquency";
import { addMonths, buildSchedule, formatRateMicro, type RepaymentMethod } from "./schedule";

// 3,000 yuan at 12% a year over three months, equal principal: 1% interest a month on the outstanding balance,
// and penalty at 12% × 1.5 ÷ 360 = 0.05% of the overdue principal a day.
//   #1 2026-02-15  principal 100,000  interest 3,000
//   #2 2026-03-15  principal 100,000  interest 2,000
//   #3 2026-04-15  principal 100,000  interest 1,000
const LOAN = { principalFen: 300_000, annualRate: "0.120000", disbursedOn: "2026-01-15", maturityOn: "2026-04-15" };
const SCHEDULE = buildSchedule({ ...LOAN, termMonths: 3, method: "equal_principal" });

type Pay = [paidOn: string, amountFen: number];

function run(pays: Pay[], asOf: string, config?: DelinquencyConfig): DelinquencyResult {
  return computeDelinquency(input(pays, asOf), config);
}

function input(pays: Pay[], asOf: string): DelinquencyInput {
  return { loan: LOAN, installments: SCHEDULE, repayments: pays.map(([paidOn, amountFen], i) => ({ id: i + 1, paidOn, amountFen, externalId: `T${i + 1}` })), asOf };
}

const allocs = (r: DelinquencyResult, repaymentId: number) =>
  r.allocations.filter((a) => a.repaymentId === repaymentId).map((a) => [a.installmentNo, a.component, a.amountFen]);
const transitions = (r: DelinquencyResult) => r.history.map((h) => [h.changedOn, h.cause, h.dpd, h.bucket, h.classification, h.settled]);

describe("delinquency engine: worked examples", () => {
  it("has the schedule the examples assume", () => {
    expect(SCHEDULE).toEqual([
      { installmentNo: 1, dueOn: "2026-02-15", principalDueFen: 100_000, interestDueFen: 3_000 },
      { installmentNo: 2, dueOn: "2026-03-15", principalDueFen: 100_000, interestDueFen: 2_000 },
      { installmentNo: 3, dueOn: "2026-04-15", principalDueFen: 100_000, interestDueFen: 1_000 },
    ]);
  });

  it("keeps an on-time payer current, and paying the last installment two days early is maturity, not prepayment", () => {
    const pays: Pay[] = [
      ["2026-02-15", 103_000],
      ["2026-03-13", 102_000],
      ["2026-04-13", 101_000],
    ];
    const mid = run(pays, "2026-03-20");
    expect(mid.state).toMatchObject({
      outstandingPrincipalFen: 100_000,
      overduePrincipalFen: 0,
      overdueInterestFen: 0,
      penaltyFen: 0,
      dpd: 0,
      bucket: "M0",
      classification: "normal",
      settled: false,
      status: "active",
      nextDueOn: "2026-04-15",
      lastPaidOn: "2026-03-13",
    });
    expect(allocs(mid, 2)).toEqual([
      [2, "interest", 2_000],
      [2, "principal", 100_000],
    ]);
    expect(mid.history).toEqual([]);

    const end = run(pays, "2026-06-30");
    expect(end.state).toMatchObject({ outstandingPrincipalFen: 0, paidPrincipalFen: 300_000, paidInterestFen: 6_000, prepaidPrincipalFen: 0 });
    expect(end.state).toMatchObject({ settled: true, settledOn: "2026-04-13", status: "matured", nextDueOn: null, dpd: 0 });
    expect(end.installments.map((i) => i.settledOn)).toEqual(["2026-02-15", "2026-03-13", "2026-04-13"]);
    expect(transitions(end)).toEqual([["2026-04-13", "repayment", 0, "M0", "normal", true]]);
  });

  it("counts DPD from the day after the due date and moves bucket at 1, 31, 61 and 91 days", () => {
    const at = (asOf: string) => run([], asOf).state;
    expect(at("2026-02-15")).toMatchObject({ dpd: 0, bucket: "M0", classification: "normal", overduePrincipalFen: 0, nextDueOn: "2026-02-15" });
    expect(at("2026-02-16")).toMatchObject({ dpd: 1, bucket: "M1", classification: "special_mention", overduePrincipalFen: 100_000, overdueInterestFen: 3_000 });
    expect(at("2026-03-17")).toMatchObject({ dpd: 30, bucket: "M1" });
    expect(at("2026-03-18")).toMatchObject({ dpd: 31, bucket: "M2" });
    expect(at("2026-04-16")).toMatchObject({ dpd: 60, bucket: "M2" });
    expect(at("2026-04-17")).toMatchObject({ dpd: 61, bucket: "M3", classification: "special_mention" });
    expect(at("2026-05-16")).toMatchObject({ dpd: 90, bucket: "M3", classification: "special_mention" });
    expect(at("2026-05-17")).toMatchObject({ dpd: 91, bucket: "M4+", classification: "substandard" });

    const r = run([], "2026-06-30");
    expect(r.state).toMatchObject({ dpd: 135, overduePrincipalFen: 300_000, overdueInterestFen: 6_000, outstandingPrincipalFen: 300_000, nextDueOn: null });
    // 0.05% a day: #1 135 days → 6,750; #2 107 days → 5,350; #3 76 days → 3,800.
    expect(r.installments.map((i) => i.penaltyAccruedFen)).toEqual([6_750, 5_350, 3_800]);
    expect(r.state.penaltyFen).toBe(15_900);
    expect(transitions(r)).toEqual([
      ["2026-02-16", "due", 1, "M1", "special_mention", false],
      ["2026-03-18", "due", 31, "M2", "special_mention", false],
      ["2026-04-17", "due", 61, "M3", "special_mention", false],
      ["2026-05-17", "due", 91, "M4+", "substandard", false],
    ]);
    expect(r.history[0]?.before).toEqual({ dpd: 0, bucket: "M0", classification: "normal", settled: false });
    expect(r.history[3]?.before).toEqual({ dpd: 90, bucket: "M3", classification: "special_mention", settled: false });
    // Doubtful from 181 days, loss from 361.
    expect(at("2026-08-14")).toMatchObject({ dpd: 180, classification: "substandard" });
    expect(at("2026-08-15")).toMatchObject({ dpd: 181, classification: "doubtful" });
    expect(at("2027-02-10")).toMatchObject({ dpd: 360, classification: "doubtful" });
    expect(at("2027-02-11")).toMatchObject({ dpd: 361, classification: "loss" });
  });

  it("classifies by the configured thresholds, recording class changes that fall inside a bucket", () => {
    const config = { ...DEFAULT_DELINQUENCY_CONFIG, classification: { specialMention: 5, substandard: 60, doubtful: 120, loss: 180 } };
    const r = run([], "2026-06-30", config);
    expect(r.state).toMatchObject({ dpd: 135, bucket: "M4+", classification: "doubtful" });
    expect(transitions(r).map(([on, , dpd, bucket, cls]) => [on, dpd, bucket, cls])).toEqual([
      ["2026-02-16", 1, "M1", "normal"],
      ["2026-02-20", 5, "M1", "special_mention"],
      ["2026-03-18", 31, "M2", "special_mention"],
      ["2026-04-16", 60, "M2", "substandard"],
      ["2026-04-17", 61, "M3", "substandard"],
      ["2026-05-17", 91, "M4+", "substandard"],
      ["2026-06-15", 120, "M4+", "doubtful"],
    ]);
  });

  it("refuses a configuration that would keep a loan more than 90 days past due out of substandard", () => {
    const bad = { ...DEFAULT_DELINQUENCY_CONFIG, classification: { specialMention: 1, substandard: 120, doubtful: 181, loss: 361 } };
    expect(delinquencyConfigSchema.safeParse(bad).success).toBe(false);
    expect(delinquencyConfigSchema.safeParse({ ...DEFAULT_DELINQUENCY_CONFIG, allocationOrder: ["interest", "interest", "principal"] }).success).toBe(false);
    expect(delinquencyConfigSchema.parse(DEFAULT_DELINQUENCY_CONFIG)).toEqual(DEFAULT_DELINQUENCY_CONFIG);
  });

  it("takes a partial payment as penalty, then interest, then principal, and keeps counting DPD", () => {
    // Ten days late: penalty 100,000 × 0.05% × 10 = 500, interest 3,000, principal 46,500.
    const r = run([["2026-02-25", 50_000]], "2026-03-10");
    expect(allocs(r, 1)).toEqual([
      [1, "penalty", 500],
      [1, "interest", 3_000],
      [1, "principal", 46_500],
    ]);
    // A new accrual period on the remaining 53,500 from 02-25: 13 days × 0.05% = 347.75, rounded half up to 348.
    expect(r.installments[0]).toMatchObject({ paidPenaltyFen: 500, penaltyAccruedFen: 848, settledOn: null });
    expect(r.state).toMatchObject({ dpd: 23, bucket: "M1", overduePrincipalFen: 53_500, overdueInterestFen: 0, penaltyFen: 348, lastPaidOn: "2026-02-25" });
    expect(transitions(r)).toEqual([["2026-02-16", "due", 1, "M1", "special_mention", false]]);

    // The configured order is honoured: principal first leaves the penalty unpaid.
    const config: DelinquencyConfig = { ...DEFAULT_DELINQUENCY_CONFIG, allocationOrder: ["principal", "interest", "penalty"] };
    const p = run([["2026-02-25", 50_000]], "2026-03-10", config);
    expect(allocs(p, 1)).toEqual([[1, "principal", 50_000]]);
    expect(p.state).toMatchObject({ overduePrincipalFen: 50_000, overdueInterestFen: 3_000, penaltyFen: 500 + 325 });
  });

  it("rounds each penalty period half up to the fen", () => {
    // 3,000 fen over three months: #1 has 1,000 principal; one day overdue is 0.5 fen of penalty → 1.
    const small = { principalFen: 3_000, annualRate: "0.12", disbursedOn: "2026-01-15", maturityOn: "2026-04-15" };
    const schedule = buildSchedule({ ...small, termMonths: 3, method: "equal_principal" });
    const r = computeDelinquency({ loan: small, installments: schedule, repayments: [], asOf: "2026-02-16" });
    expect(r.installments[0]?.penaltyAccruedFen).toBe(1);
    const none = computeDelinquency({ loan: small, installments: schedule, repayments: [], asOf: "2026-02-16" }, { ...DEFAULT_DELINQUENCY_CONFIG, penalty: { rateMultiplier: 0 } });
    expect(none.state.penaltyFen).toBe(0);
  });

  it("brings a loan back to M0 when the arrears are paid, penalty included", () => {
    // On 03-20: #1 is 33 days late (penalty 1,650), #2 is 5 days late (penalty 250).
    const r = run([["2026-03-20", 206_900]], "2026-03-25");
    expect(allocs(r, 1)).toEqual([
      [1, "penalty", 1_650],
      [1, "interest", 3_000],
      [1, "principal", 100_000],
      [2, "penalty", 250],
      [2, "interest", 2_000],
      [2, "principal", 100_000],
    ]);
    expect(r.state).toMatchObject({ dpd: 0, bucket: "M0", classification: "normal", penaltyFen: 0, overduePrincipalFen: 0, outstandingPrincipalFen: 100_000 });
    expect(transitions(r)).toEqual([
      ["2026-02-16", "due", 1, "M1", "special_mention", false],
      ["2026-03-18", "due", 31, "M2", "special_mention", false],
      ["2026-03-20", "repayment", 0, "M0", "normal", false],
    ]);
    expect(r.history[2]?.before).toEqual({ dpd: 33, bucket: "M2", classification: "special_mention", settled: false });

    // Clearing only #1 on 04-15 (59 days late, penalty 2,950) moves the DPD clock to #2 (31 days late): recorded
    // although the bucket stays M2.
    const partial = run([["2026-04-15", 100_000 + 3_000 + 2_950]], "2026-04-20");
    expect(partial.state).toMatchObject({ dpd: 36, bucket: "M2" });
    expect(transitions(partial).at(-1)).toEqual(["2026-04-15", "repayment", 31, "M2", "special_mention", false]);
  });

  it("applies a partial prepayment to the latest installments, shortening the term", () => {
    // After #1, 150,000 on 02-20: #2 (the current installment) takes 102,000; 48,000 prepays #3's principal.
    const pays: Pay[] = [
      ["2026-02-15", 103_000],
      ["2026-02-20", 150_000],
    ];
    const r = run(pays, "2026-02-28");
    expect(allocs(r, 2)).toEqual([
      [2, "interest", 2_000],
      [2, "principal", 100_000],
      [3, "prepayment", 48_000],
    ]);
    expect(r.state).toMatchObject({ outstandingPrincipalFen: 52_000, prepaidPrincipalFen: 48_000, paidPrincipalFen: 248_000, nextDueOn: "2026-04-15", status: "active" });

    // Paying what is left (#3: 52,000 + 1,000 interest) on 03-15, a month early, settles it: prepaid.
    const early = run([...pays, ["2026-03-15", 53_000]], "2026-06-30");
    expect(allocs(early, 3)).toEqual([
      [3, "interest", 1_000],
      [3, "principal", 52_000],
    ]);
    expect(early.state).toMatchObject({ settled: true, settledOn: "2026-03-15", status: "prepaid", prepaidPrincipalFen: 48_000 });

    // Paying it on the contractual date instead is maturity, whatever was prepaid on the way.
    const onTime = run([...pays, ["2026-04-15", 53_000]], "2026-06-30");
    expect(onTime.state).toMatchObject({ settled: true, settledOn: "2026-04-15", status: "matured" });
  });

  it("settles a full prepayment at the payoff quote, charging the current period's interest by days", () => {
    const pays: Pay[] = [["2026-02-15", 103_000]];
    // 200,000 outstanding × 12% × 14 days ÷ 360 = 933.33 → 933.
    const quote = payoffQuoteFen(input(pays, "2026-03-01"));
    expect(quote).toBe(200_933);
    const r = run([...pays, ["2026-03-01", quote]], "2026-06-30");
    expect(allocs(r, 2)).toEqual([
      [2, "interest", 933],
      [2, "prepayment", 100_000],
      [3, "prepayment", 100_000],
    ]);
    expect(r.installments.map((i) => i.interestWaivedFen)).toEqual([0, 1_067, 1_000]);
    expect(r.installments.map((i) => i.settledOn)).toEqual(["2026-02-15", "2026-03-01", "2026-03-01"]);
    expect(r.state).toMatchObject({ settled: true, settledOn: "2026-03-01", status: "prepaid", prepaidPrincipalFen: 200_000, outstandingPrincipalFen: 0, dpd: 0 });
    expect(transitions(r)).toEqual([["2026-03-01", "repayment", 0, "M0", "normal", true]]);
    expect(payoffQuoteFen(input([...pays, ["2026-03-01", quote]], "2026-03-02"))).toBe(0);

    // A little more than the quote is unapplied; the whole remaining schedule or more pays it as scheduled.
    expect(allocs(run([...pays, ["2026-03-01", quote + 67]], "2026-03-01"), 2).at(-1)).toEqual([0, "unapplied", 67]);
    const all = run([...pays, ["2026-03-01", 203_100]], "2026-03-01");
    expect(allocs(all, 2)).toEqual([
      [2, "interest", 2_000],
      [2, "principal", 100_000],
      [3, "interest", 1_000],
      [3, "prepayment", 100_000],
      [0, "unapplied", 100],
    ]);
    expect(all.state).toMatchObject({ settled: true, status: "prepaid", prepaidPrincipalFen: 100_000 });

    // With arrears, the quote includes them and their penalty.
    expect(payoffQuoteFen(input([], "2026-02-20"))).toBe(100_000 + 3_000 + 250 + 200_000 + 333);
  });

  it("ignores repayments dated after the as-of date", () => {
    const r = run([["2026-02-25", 103_000]], "2026-02-20");
    expect(r.allocations).toEqual([]);
    expect(r.state).toMatchObject({ dpd: 5, lastPaidOn: null, paidPrincipalFen: 0 });
    expect(r).toEqual(run([], "2026-02-20"));
  });

  it("refuses negative amounts", () => {
    expect(() => run([["2026-02-15", -1]], "2026-03-01")).toThrow(RangeError);
  });

  it("maps DPD to buckets and default classes at the edges", () => {
    const t = DEFAULT_DELINQUENCY_CONFIG.classification;
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(bucketOf)).toEqual(["M0", "M1", "M1", "M2", "M2", "M3", "M3", "M4+"]);
    expect([0, 1, 90, 91, 180, 181, 360, 361].map((d) => classify(d, t))).toEqual([
      "normal",
      "special_mention",
      "special_mention",
      "substandard",
      "substandard",
      "doubtful",
      "doubtful",
      "loss",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const METHODS: RepaymentMethod[] = ["equal_installment", "equal_principal", "interest_only", "bullet"];

const scenario = fc
  .record({
    principal: fc.integer({ min: 1_000, max: 2_000_000_000 }),
    rate: fc.integer({ min: 0, max: 120_000 }),
    term: fc.integer({ min: 1, max: 24 }),
    method: fc.constantFrom(...METHODS),
    pays: fc.array(fc.record({ offset: fc.integer({ min: -5, max: 900 }), share: fc.integer({ min: 0, max: 2_000 }), tag: fc.integer({ min: 0, max: 9 }) }), { maxLength: 30 }),
    asOfOffset: fc.integer({ min: 0, max: 1_000 }),
    config: fc.record({
      allocationOrder: fc.shuffledSubarray(["penalty", "interest", "principal"] as const, { minLength: 3, maxLength: 3 }),
      rateMultiplier: fc.constantFrom(0, 1.3, 1.5, 2),
    }),
  })
  .map(({ principal, rate, term, method, pays, asOfOffset, config }) => {
    const disbursedOn = "2025-01-31";
    const loan = { principalFen: principal, annualRate: formatRateMicro(rate), disbursedOn, maturityOn: addMonths(disbursedOn, term) };
    const installments = buildSchedule({ ...loan, termMonths: term, method });
    const typical = Math.ceil(principal / installments.length);
    const repayments = pays.map((p, i) => ({
      id: i + 1,
      paidOn: addDays(disbursedOn, p.offset),
      // From nothing to two installments' worth, with a tail that can clear the whole loan.
      amountFen: p.share >= 1_900 ? principal * 2 : Math.floor((typical * p.share) / 1_000),
      // Few distinct tags, so same-day repayments exercise the external-id tie-break.
      externalId: `X${p.tag}-${i}`,
    }));
    const input: DelinquencyInput = { loan, installments, repayments, asOf: addDays(disbursedOn, asOfOffset) };
    const cfg: DelinquencyConfig = { ...DEFAULT_DELINQUENCY_CONFIG, allocationOrder: [...config.allocationOrder], penalty: { rateMultiplier: config.rateMultiplier } };
    return { input, config: cfg };
  });

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe("delinquency engine: properties", () => {
  it("gives the same result whatever order the repayments arrive in", () => {
    fc.assert(
      fc.property(scenario, fc.infiniteStream(fc.integer()), ({ input, config }, keys) => {
        const it = keys[Symbol.iterator]();
        const shuffled = input.repayments
          .map((r) => ({ r, k: it.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r);
        expect(computeDelinquency({ ...input, repayments: shuffled }, config)).toEqual(computeDelinquency(input, config));
      }),
      { numRuns: 300 },
    );
  });

  it("splits every repayment exactly, and ignores those after as-of", () => {
    fc.assert(
      fc.property(scenario, ({ input, config }) => {
        const r = computeDelinquency(input, config);
        for (const p of input.repayments) {
          const parts = r.allocations.filter((a) => a.repaymentId === p.id);
          if (p.paidOn > input.asOf) expect(parts).toEqual([]);
          else expect(parts.reduce((s, a) => s + a.amountFen, 0)).toBe(p.amountFen);
          for (const a of parts) expect(a.amountFen).toBeGreaterThan(0);
        }
        expect(computeDelinquency({ ...input, repayments: input.repayments.filter((p) => p.paidOn <= input.asOf) }, config)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the books consistent: outstanding, overdue, paid never above due", () => {
    fc.assert(
      fc.property(scenario, ({ input, config }) => {
        const { state, installments } = computeDelinquency(input, config);
        const paidPrincipal = installments.reduce((s, i) => s + i.paidPrincipalFen, 0);
        expect(state.paidPrincipalFen).toBe(paidPrincipal);
        expect(state.outstandingPrincipalFen).toBe(input.loan.principalFen - state.paidPrincipalFen);
        expect(state.outstandingPrincipalFen).toBeGreaterThanOrEqual(0);
        expect(state.overduePrincipalFen).toBeLessThanOrEqual(state.outstandingPrincipalFen);
        expect(state.prepaidPrincipalFen).toBeLessThanOrEqual(state.paidPrincipalFen);
        installments.forEach((i, k) => {
          const s = input.installments[k];
          expect(i.installmentNo).toBe(s?.installmentNo);
          expect(i.paidPrincipalFen).toBeLessThanOrEqual(s?.principalDueFen ?? 0);
          expect(i.paidInterestFen + i.interestWaivedFen).toBeLessThanOrEqual(s?.interestDueFen ?? 0);
          expect(i.paidPenaltyFen).toBeLessThanOrEqual(i.penaltyAccruedFen);
          expect(i.settledOn === null || i.settledOn <= input.asOf).toBe(true);
        });
        if (state.settled) expect(state).toMatchObject({ outstandingPrincipalFen: 0, overdueInterestFen: 0, dpd: 0, nextDueOn: null });
        expect(state.status === "active").toBe(!state.settled);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps DPD, bucket, class and history consistent with each other", () => {
    fc.assert(
      fc.property(scenario, ({ input, config }) => {
        const { state, history } = computeDelinquency(input, config);
        expect(state.dpd).toBeGreaterThanOrEqual(0);
        expect(state.bucket).toBe(bucketOf(state.dpd));
        expect(state.classification).toBe(classify(state.dpd, config.classification));
        expect(state.dpd > 0).toBe(state.overduePrincipalFen + state.overdueInterestFen > 0);
        const last = history.at(-1) ?? { bucket: "M0", classification: "normal", settled: false };
        expect([last.bucket, last.classification, last.settled]).toEqual([state.bucket, state.classification, state.settled]);
        history.forEach((h, k) => {
          expect(h.changedOn <= input.asOf).toBe(k === 0 || (history[k - 1]?.changedOn ?? "") <= h.changedOn);
          expect(h.after).toEqual({ dpd: h.dpd, bucket: h.bucket, classification: h.classification, settled: h.settled });
          expect(h.bucket).toBe(bucketOf(h.dpd));
        });
      }),
      { numRuns: 300 },
    );
  });

  it("settles the loan exactly when the payoff quote is paid", () => {
    fc.assert(
      fc.property(scenario, ({ input, config }) => {
        const quote = payoffQuoteFen(input, config);
        fc.pre(quote > 0);
        const payoff = { id: 999, paidOn: input.asOf, amountFen: quote, externalId: "~payoff" };
        const r = computeDelinquency({ ...input, repayments: [...input.repayments, payoff] }, config);
        expect(r.state).toMatchObject({ settled: true, outstandingPrincipalFen: 0, penaltyFen: 0, dpd: 0 });
        expect(r.allocations.filter((a) => a.repaymentId === 999 && a.component === "unapplied")).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
