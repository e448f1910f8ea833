// The delinquency engine: a loan's repayments replayed against its schedule up to an as-of date. Pure and
// deterministic (no I/O, no clock): the same inputs in any order give the same result.
//
// Rules (all money integer fen, all dates calendar days):
// - Repayments dated after as-of are ignored; the rest are processed in canonical order (paid date, external id,
//   id). An installment is past due from the day after its due date; DPD = as-of − due date of the oldest
//   installment whose principal or interest is unpaid (unpaid penalty alone does not make it delinquent).
// - A repayment on day d goes, in this order:
//   1. to installments due on or before d, oldest first, each in the configured component order (default
//      penalty → interest → principal);
//   2. to the "current" installment (the first one due after d), interest and principal in the configured order:
//      paying an installment a few days early is not a prepayment;
//   3. whatever is left beyond that is a prepayment:
//      - enough to settle (≥ the payoff quote below) but less than every remaining scheduled payment: a full
//        prepayment (提前结清): all not-yet-due principal is prepaid, the current period's interest is charged by
//        days — unpaid not-yet-due principal × annual rate × days since the period began ÷ 360, rounded half up,
//        capped at the installment's scheduled interest — and the rest of the scheduled interest is waived;
//      - at least every remaining scheduled payment: the schedule is paid as it stands, nothing waived;
//      - otherwise a partial prepayment: principal of future installments, LATEST first (the term shortens, the
//        next installments stay as scheduled). The schedule is not re-amortised: a bank that re-amortises sends
//        a corrected schedule.
//   4. anything beyond all of that is "unapplied" (installment 0).
//   Whenever the principal is fully repaid, the scheduled interest of installments not yet due is waived.
// - Penalty interest (罚息) accrues on each installment's overdue principal only (no compounding on interest or
//   penalty) at annual rate × multiplier ÷ 360 a day, default multiplier 1.5; on day d an installment due on D has
//   accrued d − D days. It is rounded half up to the fen once per accrual period: a run of days over which the
//   installment's overdue principal is unchanged. A repayment that reduces that principal closes the period there;
//   the open period is rounded over its days so far (to the day its penalty is paid, or to as-of).
// - Settled = every installment's principal and interest paid (or waived). Status: prepaid when settled before
//   maturity with some principal prepaid; matured when settled otherwise (paying the last installment a few days
//   early is not a prepayment); active while anything is owed.
// - History: one entry whenever the bucket, the classification or the settled flag changes, and whenever a
//   repayment moves the DPD clock (so a chart can draw DPD as straight lines between entries). Cause 'due' for
//   the passage of time, 'repayment' when that day's repayments made the change.
import { z } from "zod";
import type { classificationEnum } from "../db/schema";
import { dayToIso, isoToDay, mulDivRound, parseRateMicro } from "./schedule";

export type Classification = (typeof classificationEnum)["enumValues"][number];
export type Bucket = "M0" | "M1" | "M2" | "M3" | "M4+";
export type DerivedStatus = "active" | "matured" | "prepaid";

export const COMPONENTS = ["penalty", "interest", "principal"] as const;
export type Component = (typeof COMPONENTS)[number];
/** 'prepayment' is principal paid ahead of its period; 'unapplied' is money beyond everything owed. */
export type AllocationComponent = Component | "prepayment" | "unapplied";

// ---------------------------------------------------------------------------------------------------------------
// Configuration (settings keys 'delinquency.classification', 'delinquency.allocationOrder', 'delinquency.penalty').

export const classificationThresholdsSchema = z
  .object({
    specialMention: z.int().min(1),
    substandard: z.int(),
    doubtful: z.int(),
    loss: z.int(),
  })
  .refine((t) => t.specialMention < t.substandard && t.substandard < t.doubtful && t.doubtful < t.loss, "thresholds must increase")
  // China's risk-classification rules: more than 90 days past due is at least substandard.
  .refine((t) => t.substandard <= 91, "substandard must start at 91 days past due or earlier");

export const allocationOrderSchema = z
  .array(z.enum(COMPONENTS))
  .length(COMPONENTS.length)
  .refine((o) => new Set(o).size === o.length, "each component exactly once");

export const penaltyConfigSchema = z.object({ rateMultiplier: z.number().min(0).max(10) });

export const delinquencyConfigSchema = z.object({
  classification: classificationThresholdsSchema,
  allocationOrder: allocationOrderSchema,
  penalty: penaltyConfigSchema,
});

export type ClassificationThresholds = z.infer<typeof classificationThresholdsSchema>;
export type DelinquencyConfig = z.infer<typeof delinquencyConfigSchema>;

export const DEFAULT_DELINQUENCY_CONFIG: DelinquencyConfig = {
  classification: { specialMention: 1, substandard: 91, doubtful: 181, loss: 361 },
  allocationOrder: ["penalty", "interest", "principal"],
  penalty: { rateMultiplier: 1.5 },
};

// ---------------------------------------------------------------------------------------------------------------
// Inputs and results.

export type DelinquencyInput = {
  loan: { principalFen: number; annualRate: string; disbursedOn: string; maturityOn: string };
  installments: readonly { installmentNo: number; dueOn: string; principalDueFen: number; interestDueFen: number }[];
  repayments: readonly { id: number; paidOn: string; amountFen: number; externalId: string }[];
  asOf: string;
};

export type InstallmentState = {
  installmentNo: number;
  paidPrincipalFen: number;
  paidInterestFen: number;
  paidPenaltyFen: number;
  penaltyAccruedFen: number;
  interestWaivedFen: number;
  settledOn: string | null;
};

export type Allocation = { repaymentId: number; installmentNo: number; component: AllocationComponent; amountFen: number };

export type LoanState = {
  asOf: string;
  outstandingPrincipalFen: number;
  overduePrincipalFen: number;
  overdueInterestFen: number;
  penaltyFen: number;
  paidPrincipalFen: number;
  paidInterestFen: number;
  paidPenaltyFen: number;
  prepaidPrincipalFen: number;
  dpd: number;
  bucket: Bucket;
  classification: Classification;
  settled: boolean;
  settledOn: string | null;
  status: DerivedStatus;
  nextDueOn: string | null;
  lastPaidOn: string | null;
};

export type StateSnapshot = { dpd: number; bucket: Bucket; classification: Classification; settled: boolean };
export type HistoryEntry = StateSnapshot & { changedOn: string; cause: "due" | "repayment"; before: StateSnapshot; after: StateSnapshot };

export type DelinquencyResult = { installments: InstallmentState[]; allocations: Allocation[]; state: LoanState; history: HistoryEntry[] };

// ---------------------------------------------------------------------------------------------------------------

const BUCKET_FLOORS = [1, 31, 61, 91] as const;

export function bucketOf(dpd: number): Bucket {
  if (dpd <= 0) return "M0";
  if (dpd <= 30) return "M1";
  if (dpd <= 60) return "M2";
  if (dpd <= 90) return "M3";
  return "M4+";
}

export function classify(dpd: number, t: ClassificationThresholds): Classification {
  if (dpd >= t.loss) return "loss";
  if (dpd >= t.doubtful) return "doubtful";
  if (dpd >= t.substandard) return "substandard";
  if (dpd >= t.specialMention) return "special_mention";
  return "normal";
}

const PENALTY_DAYS = 360n * 1_000_000_000_000n; // 360 days × rate millionths × multiplier millionths
const INTEREST_DAYS_MICRO = 360 * 1_000_000;

type Inst = {
  no: number;
  due: number;
  pDue: number;
  iDue: number;
  pPaid: number;
  iPaid: number;
  waived: number;
  penPaid: number;
  // Penalty of closed accrual periods, and the first day of the open one.
  penClosed: number;
  penFrom: number;
  settled: number | null;
};

type Repayment = DelinquencyInput["repayments"][number];

function compareRepayments(a: Repayment, b: Repayment): number {
  if (a.paidOn !== b.paidOn) return a.paidOn < b.paidOn ? -1 : 1;
  if (a.externalId !== b.externalId) return a.externalId < b.externalId ? -1 : 1;
  return a.id - b.id;
}

function fen(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative whole number of fen, got ${value}`);
  return value;
}

const pOwed = (x: Inst) => x.pDue - x.pPaid;
const iOwed = (x: Inst) => x.iDue - x.waived - x.iPaid;
const covered = (x: Inst) => x.pPaid === x.pDue && x.iPaid + x.waived === x.iDue;

/** One loan's books, advanced a repayment day at a time. */
class Ledger {
  readonly inst: Inst[];
  readonly allocations: Allocation[] = [];
  readonly history: HistoryEntry[] = [];
  private readonly rateMicro: number;
  private readonly penaltyFactor: bigint;
  private readonly disbDay: number;
  private readonly crossings: number[];
  // Oldest installment with principal or interest unpaid; oldest with anything (penalty too) unpaid; first due
  // after the last repayment day seen. All only move forward.
  private first = 0;
  private clear = 0;
  private notDue = 0;
  private last: StateSnapshot = { dpd: 0, bucket: "M0", classification: "normal", settled: false };
  prepaid = 0;
  settledDay: number | null = null;

  constructor(
    input: DelinquencyInput,
    private readonly config: DelinquencyConfig,
  ) {
    this.rateMicro = parseRateMicro(input.loan.annualRate);
    this.penaltyFactor = BigInt(this.rateMicro) * BigInt(Math.round(config.penalty.rateMultiplier * 1_000_000));
    this.disbDay = isoToDay(input.loan.disbursedOn);
    this.inst = input.installments
      .map((s) => {
        const due = isoToDay(s.dueOn);
        const pDue = fen(s.principalDueFen, `installment ${s.installmentNo} principal`);
        const iDue = fen(s.interestDueFen, `installment ${s.installmentNo} interest`);
        return { no: s.installmentNo, due, pDue, iDue, pPaid: 0, iPaid: 0, waived: 0, penPaid: 0, penClosed: 0, penFrom: due, settled: null };
      })
      .sort((a, b) => a.due - b.due || a.no - b.no);
    const t = config.classification;
    this.crossings = [...new Set([...BUCKET_FLOORS, t.specialMention, t.substandard, t.doubtful, t.loss])].sort((a, b) => a - b);
    // Installments with nothing to pay (an interest-free month) are never outstanding.
    this.advance(this.disbDay);
  }

  private penaltyOpen(x: Inst, day: number): number {
    const days = day - x.penFrom;
    const principal = pOwed(x);
    if (days <= 0 || principal === 0 || this.penaltyFactor === 0n) return 0;
    const num = BigInt(principal) * this.penaltyFactor * BigInt(days);
    return Number((2n * num + PENALTY_DAYS) / (2n * PENALTY_DAYS));
  }

  penaltyAccrued(x: Inst, day: number): number {
    return x.penClosed + this.penaltyOpen(x, day);
  }

  private penaltyOwed(x: Inst, day: number): number {
    return this.penaltyAccrued(x, day) - x.penPaid;
  }

  /** Interest of the current period accrued by `day` and not yet paid (the payoff quote's interest). */
  private accruedInterestOwed(c: number, day: number, notDuePrincipal: number): number {
    const x = this.inst[c] as Inst;
    const start = c > 0 ? (this.inst[c - 1] as Inst).due : this.disbDay;
    const days = Math.max(0, day - start);
    const accrued = Math.min(x.iDue - x.waived, mulDivRound(notDuePrincipal, this.rateMicro * days, INTEREST_DAYS_MICRO));
    return Math.max(0, accrued - x.iPaid);
  }

  private pay(repaymentId: number, x: Inst, component: AllocationComponent, amount: number, day: number): void {
    if (amount <= 0) return;
    this.allocations.push({ repaymentId, installmentNo: x.no, component, amountFen: amount });
    if (component === "penalty") x.penPaid += amount;
    else if (component === "interest") x.iPaid += amount;
    else {
      // Overdue principal changes: the open penalty period closes here.
      if (day > x.penFrom) {
        x.penClosed += this.penaltyOpen(x, day);
        x.penFrom = day;
      }
      x.pPaid += amount;
      if (component === "prepayment") this.prepaid += amount;
    }
    if (x.settled === null && covered(x)) x.settled = day;
  }

  private waive(x: Inst, amount: number, day: number): void {
    if (amount <= 0) return;
    x.waived += amount;
    if (x.settled === null && covered(x)) x.settled = day;
  }

  private owed(x: Inst, c: Component, day: number): number {
    return c === "penalty" ? this.penaltyOwed(x, day) : c === "interest" ? iOwed(x) : pOwed(x);
  }

  /** Allocates one repayment made on `day` (days must not decrease between calls). */
  allocate(r: Repayment, day: number): void {
    const n = this.inst.length;
    let left = fen(r.amountFen, `repayment ${r.externalId} amount`);
    const take = (x: Inst, component: AllocationComponent, owed: number) => {
      const amount = Math.min(left, owed);
      this.pay(r.id, x, component, amount, day);
      left -= amount;
    };
    while (this.notDue < n && (this.inst[this.notDue] as Inst).due <= day) this.notDue++;
    const c = this.notDue;

    for (let k = this.clear; k < c && left > 0; k++) {
      const x = this.inst[k] as Inst;
      for (const comp of this.config.allocationOrder) take(x, comp, this.owed(x, comp, day));
    }

    if (left > 0 && c < n) {
      let notDuePrincipal = 0;
      let scheduled = 0;
      for (let k = c; k < n; k++) {
        const x = this.inst[k] as Inst;
        notDuePrincipal += pOwed(x);
        scheduled += pOwed(x) + iOwed(x);
      }
      const interest = this.accruedInterestOwed(c, day, notDuePrincipal);
      const quote = notDuePrincipal + interest;
      const current = this.inst[c] as Inst;
      if (quote > 0 && left >= quote && left < scheduled) {
        take(current, "interest", interest);
        this.waive(current, iOwed(current), day);
        take(current, "prepayment", pOwed(current));
        for (let k = c + 1; k < n; k++) {
          const x = this.inst[k] as Inst;
          take(x, "prepayment", pOwed(x));
          this.waive(x, iOwed(x), day);
        }
      } else {
        for (const comp of this.config.allocationOrder) if (comp !== "penalty") take(current, comp, this.owed(current, comp, day));
        let rest = 0;
        for (let k = c + 1; k < n; k++) rest += pOwed(this.inst[k] as Inst) + iOwed(this.inst[k] as Inst);
        if (left >= rest) {
          for (let k = c + 1; k < n; k++) {
            const x = this.inst[k] as Inst;
            take(x, "interest", iOwed(x));
            take(x, "prepayment", pOwed(x));
          }
        } else {
          for (let k = n - 1; k > c && left > 0; k--) take(this.inst[k] as Inst, "prepayment", pOwed(this.inst[k] as Inst));
        }
      }
    }

    if (left > 0) this.allocations.push({ repaymentId: r.id, installmentNo: 0, component: "unapplied", amountFen: left });
    this.afterPayment(day);
  }

  private afterPayment(day: number): void {
    const n = this.inst.length;
    // Interest on a repaid principal would be interest on nothing.
    if (this.inst.every((x) => pOwed(x) === 0)) for (let k = this.notDue; k < n; k++) this.waive(this.inst[k] as Inst, iOwed(this.inst[k] as Inst), day);
    this.advance(day);
    if (this.settledDay === null && this.first === n && n > 0) this.settledDay = day;
  }

  private advance(day: number): void {
    const n = this.inst.length;
    while (this.first < n && covered(this.inst[this.first] as Inst)) this.first++;
    while (this.clear < this.first && this.penaltyOwed(this.inst[this.clear] as Inst, day) === 0) this.clear++;
  }

  /** Everything owed on `day` to settle the loan, with the current period's interest charged by days. */
  payoffQuote(day: number): number {
    let total = 0;
    let notDuePrincipal = 0;
    let c = -1;
    this.inst.forEach((x, k) => {
      if (x.due <= day) total += this.penaltyOwed(x, day) + iOwed(x) + pOwed(x);
      else {
        if (c < 0) c = k;
        notDuePrincipal += pOwed(x);
      }
    });
    return c < 0 ? total : total + notDuePrincipal + this.accruedInterestOwed(c, day, notDuePrincipal);
  }

  private dpdAt(day: number): number {
    const x = this.inst[this.first];
    return x && x.due < day ? day - x.due : 0;
  }

  snapshot(day: number): StateSnapshot {
    const dpd = this.dpdAt(day);
    return { dpd, bucket: bucketOf(dpd), classification: classify(dpd, this.config.classification), settled: this.settledDay !== null };
  }

  private record(day: number, cause: HistoryEntry["cause"], before: StateSnapshot, after: StateSnapshot): void {
    this.history.push({ ...after, changedOn: dayToIso(day), cause, before, after });
    this.last = after;
  }

  /** Bucket and class transitions through the passage of time, for days in (from, to]. */
  timeTransitions(from: number, to: number): void {
    const x = this.inst[this.first];
    if (!x) return;
    for (const offset of this.crossings) {
      const day = x.due + offset;
      if (day <= from) continue;
      if (day > to) break;
      const s = this.snapshot(day);
      if (changed(s, this.last)) this.record(day, "due", this.snapshot(day - 1), s);
    }
  }

  /** Applies one day's repayments and records the change they made, if any. */
  repaymentDay(day: number, reps: readonly Repayment[]): void {
    const yesterday = this.snapshot(day - 1);
    const before = this.snapshot(day);
    for (const r of reps) this.allocate(r, day);
    const after = this.snapshot(day);
    if (!changed(after, this.last) && after.dpd === before.dpd) return;
    const byRepayment = changed(after, before) || after.dpd !== before.dpd;
    this.record(day, byRepayment ? "repayment" : "due", byRepayment ? before : yesterday, after);
  }
}

function changed(a: StateSnapshot, b: StateSnapshot): boolean {
  return a.bucket !== b.bucket || a.classification !== b.classification || a.settled !== b.settled;
}

/** Replays the repayments dated on or before `asOf` (a day number), grouped by day, recording history. */
function replay(input: DelinquencyInput, config: DelinquencyConfig, asOf: number): { ledger: Ledger; lastPaid: number | null } {
  const ledger = new Ledger(input, config);
  const reps = input.repayments.filter((r) => isoToDay(r.paidOn) <= asOf).sort(compareRepayments);
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < reps.length; ) {
    const paidOn = (reps[i] as Repayment).paidOn;
    let j = i;
    while (j < reps.length && (reps[j] as Repayment).paidOn === paidOn) j++;
    const day = isoToDay(paidOn);
    ledger.timeTransitions(prev, day - 1);
    ledger.repaymentDay(day, reps.slice(i, j));
    prev = day;
    i = j;
  }
  ledger.timeTransitions(prev, asOf);
  return { ledger, lastPaid: Number.isFinite(prev) ? prev : null };
}

/** The loan's state, installment by installment and as a whole, as of `input.asOf`. */
export function computeDelinquency(input: DelinquencyInput, config: DelinquencyConfig = DEFAULT_DELINQUENCY_CONFIG): DelinquencyResult {
  const asOf = isoToDay(input.asOf);
  const { ledger, lastPaid } = replay(input, config, asOf);
  const settledDay = ledger.settledDay;
  const totals = { pPaid: 0, iPaid: 0, penPaid: 0, penalty: 0, overdueP: 0, overdueI: 0 };
  let nextDue: number | null = null;
  const installments = ledger.inst.map<InstallmentState>((x) => {
    const accrued = ledger.penaltyAccrued(x, asOf);
    totals.pPaid += x.pPaid;
    totals.iPaid += x.iPaid;
    totals.penPaid += x.penPaid;
    totals.penalty += accrued - x.penPaid;
    if (x.due < asOf) {
      totals.overdueP += pOwed(x);
      totals.overdueI += iOwed(x);
    } else if (nextDue === null && !covered(x)) nextDue = x.due;
    // An installment with nothing to pay is settled on its due date (or when the loan is, if earlier).
    const zeroSettled = covered(x) && x.settled === null ? Math.min(x.due, settledDay ?? x.due) : null;
    const settled = x.settled ?? (zeroSettled !== null && zeroSettled <= asOf ? zeroSettled : null);
    return {
      installmentNo: x.no,
      paidPrincipalFen: x.pPaid,
      paidInterestFen: x.iPaid,
      paidPenaltyFen: x.penPaid,
      penaltyAccruedFen: accrued,
      interestWaivedFen: x.waived,
      settledOn: settled === null ? null : dayToIso(settled),
    };
  });
  installments.sort((a, b) => a.installmentNo - b.installmentNo);

  const now = ledger.snapshot(asOf);
  const maturity = isoToDay(input.loan.maturityOn);
  let status: DerivedStatus = "active";
  if (settledDay !== null) status = settledDay < maturity && ledger.prepaid > 0 ? "prepaid" : "matured";
  return {
    installments,
    allocations: ledger.allocations,
    history: ledger.history,
    state: {
      asOf: input.asOf,
      outstandingPrincipalFen: input.loan.principalFen - totals.pPaid,
      overduePrincipalFen: totals.overdueP,
      overdueInterestFen: totals.overdueI,
      penaltyFen: totals.penalty,
      paidPrincipalFen: totals.pPaid,
      paidInterestFen: totals.iPaid,
      paidPenaltyFen: totals.penPaid,
      prepaidPrincipalFen: ledger.prepaid,
      dpd: now.dpd,
      bucket: now.bucket,
      classification: now.classification,
      settled: now.settled,
      settledOn: settledDay === null ? null : dayToIso(settledDay),
      status,
      nextDueOn: settledDay === null && nextDue !== null ? dayToIso(nextDue) : null,
      lastPaidOn: lastPaid === null ? null : dayToIso(lastPaid),
    },
  };
}

/**
 * The amount that, paid on `input.asOf` after the repayments already made, settles the loan: everything due
 * (penalty included), the not-yet-due principal and the current period's interest by days.
 */
export function payoffQuoteFen(input: DelinquencyInput, config: DelinquencyConfig = DEFAULT_DELINQUENCY_CONFIG): number {
  const asOf = isoToDay(input.asOf);
  return replay(input, config, asOf).ledger.payoffQuote(asOf);
}
