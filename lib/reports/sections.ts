// The report snapshot's shape: what the reports worker writes into report_sections and what every rendering (the
// screen, the print page, the PDF, the XLSX) reads. Pure types and small helpers, safe in the browser.
import type { ChurnEventStatus, ChurnKind, ReasonFamily, Severity, Stage, Will } from "../vocabulary";

export type BasicRow = {
  eventId: number;
  customerNo: string;
  company: string;
  legalRep: string;
  registeredCapitalFen: number;
  industryCode: string;
  rmName: string | null;
  /** The loan's contract number (post-loan) or the application's number (pre-loan). */
  contractNo: string | null;
  applicationNo: string | null;
  /** Original principal of the loan, or the amount applied for. */
  amountFen: number;
  exposureFen: number;
  principalLostFen: number;
  interestLostFen: number;
  interestForgoneFen: number;
  effectiveOn: string;
  stage: Stage;
  kind: ChurnKind;
  will: Will;
  reasonFamily: ReasonFamily | null;
  status: ChurnEventStatus;
};

export type BasicSection = { rows: BasicRow[]; customers: number; events: number; amountFen: number; exposureFen: number };

/** One line of a distribution: events, distinct customers, exposure and direct loss, this period and the previous. */
export type DistLine = { key: string; events: number; customers: number; exposureFen: number; lossFen: number; prevEvents: number; prevExposureFen: number };

export type TopCase = {
  eventId: number;
  customerNo: string;
  company: string;
  kind: ChurnKind;
  effectiveOn: string;
  lossFen: number;
  exposureFen: number;
  reasonFamily: ReasonFamily | null;
  warnings: { ruleZh: string; ruleEn: string; severity: Severity; openedOn: string; leadDays: number }[];
  /** The latest task opened in the evidence window before the event: when it opened and when first contact came. */
  task: { openedAt: string; firstContactAt: string | null; contactHours: number | null; contactLate: boolean } | null;
  followUps: { count: number; byType: Record<string, number>; first: string | null; last: string | null };
};

export type ReasonSection = {
  previous: { period: string; from: string; to: string };
  byReason: DistLine[];
  byStage: DistLine[];
  byWill: DistLine[];
  /** Reason family × kind pairs that carry the most events (then exposure), at most three. */
  drivers: { reasonFamily: string; kind: ChurnKind; events: number; exposureFen: number; share: number }[];
  topCases: TopCase[];
};

export type NplPoint = { date: string; totalFen: number; nplFen: number; ratio: number | null; bankTotalFen: number; share: number | null };

export type LossSection = {
  events: number;
  principalLostFen: number;
  interestLostFen: number;
  /** principal lost + interest lost (docs/churn.md "direct loss"). */
  directLossFen: number;
  interestForgoneFen: number;
  /** Exposure of the post-loan events: the balance that left. */
  lostBalanceFen: number;
  /** The part of the interest forgone that would have fallen inside the period (pro rata to the remaining term). */
  forgoneInPeriodFen: number;
  /** −(direct loss + forgone in period) — docs/reports.md. */
  profitEffectFen: number;
  before: NplPoint;
  after: NplPoint;
};

export type MeasureArea = "reason" | "approval" | "rules" | "followUp" | "pricing" | "monitor" | "custom";
export type Measure = {
  area: MeasureArea;
  /** For area "reason": which family. */
  reasonFamily?: ReasonFamily;
  /** The figures the recommendation rests on (rendered through the message catalogue). */
  basis: Record<string, number>;
  /** Set once the supervisor edited it: the text then replaces the catalogue's wording in every language. */
  text?: string;
};

export type MeasuresSection = {
  telemetry: {
    approval: { decided: number; medianDays: number | null; p90Days: number | null; preVoluntary: number };
    rules: { postEvents: number; warned: number; missed: number; late: number; lateRules: { ruleZh: string; ruleEn: string; late: number }[] };
    followUp: { warnedNoTask: number; tasks: number; noFollowUp: number; contactLate: number };
    pricing: { churnedLoans: number; churnedAvgSpreadBp: number | null; churnedOverMargin: number; activeLoans: number; activeAvgSpreadBp: number | null; marginBp: number };
  };
  items: Measure[];
};

export type Snapshot = { basic: BasicSection; reasons: ReasonSection; loss: LossSection; measures: MeasuresSection };

export const LATE_DAYS = 30;
export const SECTION_KEYS = ["basic", "reasons", "loss", "measures"] as const;
