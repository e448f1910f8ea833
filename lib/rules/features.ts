// The feature catalogue: every value a warning rule can test, each with its labels, unit and ONE set-based SQL
// definition. A feature is either a per-row expression over its subject's base row, or an aggregate over one of a
// few shared row sources; features of the same source are computed in one grouped subquery, so a whole portfolio
// is one statement and one pass per source. Adding a feature is adding one entry to FEATURES.
import { sql, type SQL } from "drizzle-orm";
import { businessTz, isIsoDate } from "../time";
import { APPLICATION_STATUSES, CLASSIFICATIONS, LOAN_STATUSES, RISK_BANDS, type Subject, type Target } from "../vocabulary";
import { SIGNAL_IDS, type SignalId } from "../signals/types";
import type { FeatureType } from "./operators";

/**
 * Where an aggregate feature's rows come from (per subject). Inside a source's expressions these aliases exist:
 * - loan subject: `l` loans (always), `c` customers, `ls` loan_state (row); `i` installments + `s` installment_state
 *   (installments); `r` repayments paid on or before as-of (repayments); `a` repayment_allocations of component
 *   'prepayment' + `r` (prepayments); `h` loan_state_history up to as-of (history); `ap` other applications of the
 *   customer (applications).
 * - customer subject: `c` customers (row); `l` + `ls` the customer's loans live on the as-of date (loans).
 * - application subject: `ap` applications, `c` customers, `dl` (loan_id, first_drawn_on) of loans drawn from it (row).
 */
export type Source = "row" | "installments" | "repayments" | "prepayments" | "history" | "applications" | "loans";

/** What a definition may refer to: the as-of date as a bound `date` parameter. */
export type FeatureCtx = { d: SQL };

export type Feature = {
  key: string;
  labelZh: string;
  labelEn: string;
  unit: { zh: string; en: string };
  type: FeatureType;
  subject: Subject;
  description: string;
  /** For text features: the only values a rule may compare with. */
  values?: readonly string[];
  source: Source;
  /** A scalar for "row", an aggregate expression for the other sources. */
  sql: (x: FeatureCtx) => SQL;
  /** The value when an aggregate source has no rows for the subject (default: null). */
  none?: SQL;
};

export const LPR_KINDS = { oneYear: "LPR1Y", fiveYear: "LPR5Y" } as const;

const DAYS = { zh: "天", en: "days" };
const COUNT = { zh: "期", en: "installments" };
const YUAN = { zh: "元", en: "CNY" };
const SHARE = { zh: "比例", en: "share (0–1)" };
const FLAG = { zh: "是/否", en: "yes/no" };
const NONE = { zh: "", en: "" };
const NOTES = { zh: "条", en: "notes" };
// The signals' names in the feature labels (the same words as messages signals.names).
const NOTE_SIGNAL_LABELS: Record<SignalId, { zh: string; en: string }> = {
  cash_flow_stress: { zh: "资金紧张", en: "cash-flow stress" },
  competitor_offer: { zh: "他行营销", en: "competitor offer" },
  rate_complaint: { zh: "利率或费用不满", en: "rate or fee complaint" },
  business_contraction: { zh: "经营收缩", en: "business contraction" },
  ownership_change: { zh: "股权或管理层变更", en: "ownership or management change" },
  service_dissatisfaction: { zh: "服务不满", en: "service dissatisfaction" },
  satisfaction: { zh: "满意", en: "satisfaction" },
};

// An installment is unpaid on the as-of date when it was not fully covered by then (installment_state is computed
// up to loan_state.as_of; a settlement dated after the as-of date does not count yet).
const unpaid = (d: SQL) => sql`(s.settled_on is null or s.settled_on > ${d})`;
// Last day the installment was overdue (DPD counts up to the day before the paying day), capped at as-of.
const lastLate = (d: SQL) => sql`(case when ${unpaid(d)} then ${d} else s.settled_on - 1 end)`;
const maxDpdOver = (days: number) => (x: FeatureCtx) =>
  sql`max(${lastLate(x.d)} - i.due_on) filter (where i.due_on < ${x.d} and ${lastLate(x.d)} > i.due_on and ${lastLate(x.d)} > ${x.d} - ${days}::int)`;
// Due in the window (and already past due): late = not covered by its due date; partial = something paid, not all.
const dueIn = (months: number, d: SQL) => sql`i.due_on < ${d} and i.due_on > ${d} - make_interval(months => ${months}::int)`;
const missedIn = (months: number) => (x: FeatureCtx) =>
  sql`count(*) filter (where ${dueIn(months, x.d)} and (s.settled_on is null or s.settled_on > i.due_on))::int`;
// A partial payment: a repayment in the window after which an installment due by that day was still not covered
// (its day falls in the loan's `rl.late` multirange, built by the "repayments" source).
const partialIn = (months: number) => (x: FeatureCtx) =>
  sql`count(*) filter (where r.paid_on > ${x.d} - make_interval(months => ${months}::int) and rl.late @> r.paid_on)::int`;
const prepaidIn = (days: number) => (x: FeatureCtx) => sql`coalesce(sum(a.amount_fen) filter (where r.paid_on > ${x.d} - ${days}::int), 0)`;
// Five-category class as a rank 1 (normal) … 5 (loss), in the enum's order.
const classRank = (v: SQL) => sql`array_position(enum_range(null::classification), ${v})`;
// As of a past day, the loan's computed state (loan_state, as of the last recompute) would show later repayments: then
// the value is rebuilt from the rows dated on or before the day (one probe per loan, only on that branch).
const outstandingAt = (d: SQL) => sql`(case when ls.as_of <= ${d} then ls.outstanding_principal_fen
  else l.principal_fen - coalesce((select sum(oa.amount_fen) from repayment_allocations oa join repayments orp on orp.id = oa.repayment_id
    where oa.loan_id = l.id and oa.component in ('principal', 'prepayment') and orp.paid_on <= ${d}), 0) end)`;
const dpdAt = (d: SQL) => sql`(case when ls.as_of = ${d} then ls.dpd
  else coalesce((select max(${d} - di.due_on) from installments di left join installment_state ds on ds.loan_id = di.loan_id and ds.installment_no = di.installment_no
    where di.loan_id = l.id and di.due_on < ${d} and (ds.settled_on is null or ds.settled_on > ${d})), 0) end)`;
const watchlisted = sql`exists (select 1 from industry_watchlist w where w.active and left(c.industry_code, length(w.industry_code)) = w.industry_code)`;

/**
 * The planner settings of a feature pass (select-list items, local to the transaction), shared with the benchmark's
 * floor and the model's scoring, which must run the same passes under the same rules. JIT off: compiling cost more than the feature queries
 * themselves. random_page_cost 1.1: the tables stay in memory (or on SSD), and with the default 4.0 the planner
 * chose nested index probes where ordered merge joins of the same ranges are cheaper (docs/benchmarks.md, "Why the
 * code is shaped this way").
 */
export const FEATURE_PASS_SETTINGS = sql`set_config('jit', 'off', true) as jit, set_config('random_page_cost', '1.1', true) as page_cost`;

export const FEATURES: readonly Feature[] = [
  // ---- loan ----
  {
    key: "dpd",
    labelZh: "逾期天数",
    labelEn: "Days past due",
    unit: DAYS,
    type: "number",
    subject: "loan",
    description: "Days since the oldest installment still unpaid on the as-of date fell due (0 when current).",
    source: "installments",
    sql: (x) => sql`coalesce(max(${x.d} - i.due_on) filter (where i.due_on < ${x.d} and ${unpaid(x.d)}), 0)`,
    none: sql`0`,
  },
  {
    key: "max_dpd_90d",
    labelZh: "近90天最大逾期天数",
    labelEn: "Max DPD, last 90 days",
    unit: DAYS,
    type: "number",
    subject: "loan",
    description: "Highest DPD reached on any day of the 90 days up to the as-of date.",
    source: "installments",
    sql: maxDpdOver(90),
    none: sql`0`,
  },
  {
    key: "max_dpd_180d",
    labelZh: "近180天最大逾期天数",
    labelEn: "Max DPD, last 180 days",
    unit: DAYS,
    type: "number",
    subject: "loan",
    description: "Highest DPD reached on any day of the 180 days up to the as-of date.",
    source: "installments",
    sql: maxDpdOver(180),
    none: sql`0`,
  },
  {
    key: "missed_installments_3m",
    labelZh: "近3个月未按期还款期数",
    labelEn: "Missed installments, 3 months",
    unit: COUNT,
    type: "number",
    subject: "loan",
    description: "Installments due in the last 3 months that were not fully paid by their due date.",
    source: "installments",
    sql: missedIn(3),
    none: sql`0`,
  },
  {
    key: "missed_installments_6m",
    labelZh: "近6个月未按期还款期数",
    labelEn: "Missed installments, 6 months",
    unit: COUNT,
    type: "number",
    subject: "loan",
    description: "Installments due in the last 6 months that were not fully paid by their due date.",
    source: "installments",
    sql: missedIn(6),
    none: sql`0`,
  },
  {
    key: "partial_payments_3m",
    labelZh: "近3个月部分还款次数",
    labelEn: "Partial payments, 3 months",
    unit: { zh: "次", en: "payments" },
    type: "number",
    subject: "loan",
    description: "Repayments in the last 3 months that left an installment already due still not fully paid.",
    source: "repayments",
    sql: partialIn(3),
    none: sql`0`,
  },
  {
    key: "partial_payments_6m",
    labelZh: "近6个月部分还款次数",
    labelEn: "Partial payments, 6 months",
    unit: { zh: "次", en: "payments" },
    type: "number",
    subject: "loan",
    description: "Repayments in the last 6 months that left an installment already due still not fully paid.",
    source: "repayments",
    sql: partialIn(6),
    none: sql`0`,
  },
  {
    key: "days_since_last_payment",
    labelZh: "距上次还款天数",
    labelEn: "Days since last payment",
    unit: DAYS,
    type: "number",
    subject: "loan",
    description: "Days since the last repayment on or before the as-of date (since drawdown when none).",
    source: "row",
    // An index-only probe of repayments (loan_id, paid_on) per loan.
    sql: (x) => sql`${x.d} - coalesce((select max(lr.paid_on) from repayments lr where lr.loan_id = l.id and lr.paid_on <= ${x.d}), l.disbursed_on)`,
  },
  {
    key: "prepaid_amount_30d",
    labelZh: "近30天提前还本金额",
    labelEn: "Principal prepaid, 30 days",
    unit: YUAN,
    type: "number",
    subject: "loan",
    description: "Principal repaid ahead of schedule (allocation 'prepayment') in the 30 days up to as-of.",
    source: "prepayments",
    sql: (x) => sql`round(${prepaidIn(30)(x)} / 100.0, 2)`,
    none: sql`0`,
  },
  {
    key: "prepaid_amount_90d",
    labelZh: "近90天提前还本金额",
    labelEn: "Principal prepaid, 90 days",
    unit: YUAN,
    type: "number",
    subject: "loan",
    description: "Principal repaid ahead of schedule (allocation 'prepayment') in the 90 days up to as-of.",
    source: "prepayments",
    sql: (x) => sql`round(${prepaidIn(90)(x)} / 100.0, 2)`,
    none: sql`0`,
  },
  {
    key: "prepaid_share_30d",
    labelZh: "近30天提前还本占比",
    labelEn: "Share of principal prepaid, 30 days",
    unit: SHARE,
    type: "number",
    subject: "loan",
    description: "Principal prepaid in the last 30 days divided by the loan's original principal.",
    source: "prepayments",
    sql: (x) => sql`round(${prepaidIn(30)(x)}::numeric / nullif(min(l.principal_fen), 0), 4)`,
    none: sql`0`,
  },
  {
    key: "prepaid_share_90d",
    labelZh: "近90天提前还本占比",
    labelEn: "Share of principal prepaid, 90 days",
    unit: SHARE,
    type: "number",
    subject: "loan",
    description: "Principal prepaid in the last 90 days divided by the loan's original principal.",
    source: "prepayments",
    sql: (x) => sql`round(${prepaidIn(90)(x)}::numeric / nullif(min(l.principal_fen), 0), 4)`,
    none: sql`0`,
  },
  {
    key: "days_to_maturity",
    labelZh: "距到期天数",
    labelEn: "Days to maturity",
    unit: DAYS,
    type: "number",
    subject: "loan",
    description: "Days from the as-of date to the contractual maturity date (negative once past).",
    source: "row",
    sql: (x) => sql`l.maturity_on - ${x.d}`,
  },
  {
    key: "renewal_applied",
    labelZh: "已提交续贷申请",
    labelEn: "Renewal application exists",
    unit: FLAG,
    type: "boolean",
    subject: "loan",
    description:
      "The customer submitted another application (not this loan's own) from 120 days before maturity up to the as-of date, not rejected or withdrawn.",
    source: "applications",
    sql: () => sql`count(*) > 0`,
    none: sql`false`,
  },
  {
    key: "outstanding_principal",
    labelZh: "贷款余额",
    labelEn: "Outstanding principal",
    unit: YUAN,
    type: "number",
    subject: "loan",
    description:
      "Principal not repaid by the as-of date: from the loan's computed state, or from the repayments dated up to the as-of date when that state is later (original principal before the first computation).",
    source: "row",
    sql: (x) => sql`round(coalesce(${outstandingAt(x.d)}, l.principal_fen) / 100.0, 2)`,
  },
  {
    key: "principal",
    labelZh: "贷款本金",
    labelEn: "Loan principal",
    unit: YUAN,
    type: "number",
    subject: "loan",
    description: "The loan's original principal.",
    source: "row",
    sql: () => sql`round(l.principal_fen / 100.0, 2)`,
  },
  {
    key: "loan_status",
    labelZh: "贷款状态",
    labelEn: "Loan status",
    unit: NONE,
    type: "text",
    subject: "loan",
    description: "The loan's status on the as-of date (active, matured, prepaid, defaulted, written_off, terminated): active while its closing date is later.",
    values: LOAN_STATUSES,
    source: "row",
    sql: (x) => sql`(case when l.closed_on > ${x.d} then 'active' else l.status::text end)`,
  },
  {
    key: "classification",
    labelZh: "五级分类",
    labelEn: "Loan classification",
    unit: NONE,
    type: "text",
    subject: "loan",
    description: "Five-category class on the as-of date, from the loan's state history (normal until a change is recorded).",
    values: CLASSIFICATIONS,
    source: "history",
    sql: () => sql`(array_agg(h.classification::text order by h.seq desc))[1]`,
    none: sql`'normal'`,
  },
  {
    key: "class_worsened_30d",
    labelZh: "近30天五级分类下调",
    labelEn: "Classification worsened, 30 days",
    unit: FLAG,
    type: "boolean",
    subject: "loan",
    description: "The five-category class on the as-of date is worse than it was 30 days earlier.",
    source: "history",
    sql: (x) =>
      sql`${classRank(sql`(array_agg(h.classification order by h.seq desc))[1]`)}
        > coalesce(${classRank(sql`(array_agg(h.classification order by h.seq desc) filter (where h.changed_on <= ${x.d} - 30))[1]`)}, 1)`,
    none: sql`false`,
  },
  {
    key: "months_on_book",
    labelZh: "放款月数",
    labelEn: "Months on book",
    unit: { zh: "月", en: "months" },
    type: "number",
    subject: "loan",
    description: "Whole months from drawdown to the as-of date.",
    source: "row",
    sql: (x) => sql`(extract(year from age(${x.d}, l.disbursed_on)) * 12 + extract(month from age(${x.d}, l.disbursed_on)))::int`,
  },
  {
    key: "rate_spread_bp",
    labelZh: "利率较LPR加点",
    labelEn: "Rate spread over LPR",
    unit: { zh: "基点", en: "bp" },
    type: "number",
    subject: "loan",
    description:
      "The loan's annual rate minus the LPR (1-year; 5-year for terms over 60 months) in effect at drawdown, in basis points; empty when no LPR is on file for that date.",
    source: "row",
    sql: () => sql`round((l.annual_rate - (
        select rr.rate from reference_rates rr
        where rr.kind = case when l.term_months > 60 then ${LPR_KINDS.fiveYear} else ${LPR_KINDS.oneYear} end
          and rr.effective_on <= l.disbursed_on
        order by rr.effective_on desc limit 1)) * 10000)::int`,
  },
  {
    key: "industry_watchlisted",
    labelZh: "行业在关注名单",
    labelEn: "Industry on watch list",
    unit: FLAG,
    type: "boolean",
    subject: "loan",
    description: "The customer's industry code starts with an active watch-list code (section letter or division).",
    source: "row",
    sql: () => watchlisted,
  },
  {
    key: "registered_capital",
    labelZh: "注册资本",
    labelEn: "Registered capital",
    unit: YUAN,
    type: "number",
    subject: "loan",
    description: "The borrowing customer's registered capital.",
    source: "row",
    sql: () => sql`round(c.registered_capital_fen / 100.0, 2)`,
  },
  {
    key: "days_since_last_contact",
    labelZh: "距上次联系天数",
    labelEn: "Days since last contact",
    unit: DAYS,
    type: "number",
    subject: "loan",
    description:
      "Days from the relationship manager's last recorded follow-up with the customer (on any task) to the as-of date; a customer never contacted counts from the day they were onboarded.",
    source: "row",
    // One index probe per row (follow_ups_customer_idx); days are business-time-zone days.
    sql: (x) => sql`(${x.d} - coalesce((select max((f.occurred_at at time zone ${businessTz()}::text)::date) from follow_ups f
      where f.customer_id = c.id and (f.occurred_at at time zone ${businessTz()}::text)::date <= ${x.d}), c.onboarded_on))`,
  },
  {
    key: "risk_score",
    labelZh: "流失风险评分",
    labelEn: "Churn risk score",
    unit: { zh: "分", en: "points" },
    type: "number",
    subject: "loan",
    description:
      "The active churn scorecard's score of the loan (higher = more likely to churn within the model's horizon), from its latest scoring on or before the as-of date; empty when not scored.",
    source: "row",
    // One primary-key probe of model_scores per loan; a score dated after the as-of date is not read.
    sql: (x) => sql`(select ms.score from model_scores ms where ms.loan_id = l.id and ms.as_of <= ${x.d})`,
  },
  {
    key: "risk_band",
    labelZh: "流失风险等级",
    labelEn: "Churn risk band",
    unit: NONE,
    type: "text",
    subject: "loan",
    description: "The band of that score (low, medium, high: the top 10% of the training population's scores are high, the next 20% medium).",
    values: RISK_BANDS,
    source: "row",
    sql: (x) => sql`(select ms.band from model_scores ms where ms.loan_id = l.id and ms.as_of <= ${x.d})`,
  },
  // ---- customer ----
  {
    key: "customer_outstanding_principal",
    labelZh: "客户贷款余额合计",
    labelEn: "Customer outstanding principal",
    unit: YUAN,
    type: "number",
    subject: "customer",
    description: "Outstanding principal over the customer's loans live on the as-of date.",
    source: "loans",
    sql: (x) => sql`round(sum(coalesce(${outstandingAt(x.d)}, l.principal_fen)) / 100.0, 2)`,
    none: sql`0`,
  },
  {
    key: "customer_live_loans",
    labelZh: "客户存续贷款笔数",
    labelEn: "Customer live loans",
    unit: { zh: "笔", en: "loans" },
    type: "number",
    subject: "customer",
    description: "Loans drawn on or before the as-of date and not closed by then.",
    source: "loans",
    sql: () => sql`count(*)::int`,
    none: sql`0`,
  },
  {
    key: "customer_max_dpd",
    labelZh: "客户最大逾期天数",
    labelEn: "Customer max DPD",
    unit: DAYS,
    type: "number",
    subject: "customer",
    description: "Highest DPD on the as-of date over the customer's live loans (their computed state, or their installments when that state is of another day).",
    source: "loans",
    sql: (x) => sql`coalesce(max(${dpdAt(x.d)}), 0)`,
    none: sql`0`,
  },
  // The customer's follow-up notes that carry a text signal (stored by lib/signals/store.ts), dated by the
  // follow-up's own business day in (D − 90, D]: a note written after the as-of date is never read.
  ...SIGNAL_IDS.map(
    (id): Feature => ({
      key: `note_${id}_90d`,
      labelZh: `近90天跟进记录「${NOTE_SIGNAL_LABELS[id].zh}」次数`,
      labelEn: `Notes with "${NOTE_SIGNAL_LABELS[id].en}", 90 days`,
      unit: NOTES,
      type: "number",
      subject: "customer",
      description: `How many of the customer's follow-ups dated in the 90 days up to the as-of date (business-time-zone days, the as-of day included) carry the text signal "${id}" (found by the lexicon, not negated).`,
      source: "row",
      // One probe of follow_ups_customer_idx per customer, then the note's signal row by its primary key.
      sql: (x) => sql`(select count(*)::int from follow_ups f join follow_up_signals fs on fs.follow_up_id = f.id and fs.signal = ${id}
        where f.customer_id = c.id and (f.occurred_at at time zone ${businessTz()}::text)::date <= ${x.d}
          and (f.occurred_at at time zone ${businessTz()}::text)::date > ${x.d} - 90)`,
    }),
  ),
  {
    key: "customer_registered_capital",
    labelZh: "客户注册资本",
    labelEn: "Customer registered capital",
    unit: YUAN,
    type: "number",
    subject: "customer",
    description: "The customer's registered capital.",
    source: "row",
    sql: () => sql`round(c.registered_capital_fen / 100.0, 2)`,
  },
  {
    key: "customer_industry_watchlisted",
    labelZh: "客户行业在关注名单",
    labelEn: "Customer industry on watch list",
    unit: FLAG,
    type: "boolean",
    subject: "customer",
    description: "The customer's industry code starts with an active watch-list code.",
    source: "row",
    sql: () => watchlisted,
  },
  // ---- application (pre-loan) ----
  {
    key: "application_status",
    labelZh: "申请状态",
    labelEn: "Application status",
    unit: NONE,
    type: "text",
    subject: "application",
    description:
      "Status on the as-of date: submitted until decided; approved until a loan from it is drawn; then drawn; or rejected / withdrawn.",
    values: APPLICATION_STATUSES,
    source: "row",
    sql: (x) => sql`(case
        when ap.decided_on is null or ap.decided_on > ${x.d} then 'submitted'
        when ap.status in ('approved', 'drawn') then case when dl.first_drawn_on <= ${x.d} then 'drawn' else 'approved' end
        else ap.status::text end)`,
  },
  {
    key: "application_days_since_decision",
    labelZh: "审批决定后天数",
    labelEn: "Days since decision",
    unit: DAYS,
    type: "number",
    subject: "application",
    description: "Days from the approval / rejection / withdrawal date to the as-of date; empty while undecided.",
    source: "row",
    sql: (x) => sql`case when ap.decided_on <= ${x.d} then ${x.d} - ap.decided_on end`,
  },
  {
    key: "approval_cycle_days",
    labelZh: "审批周期（工作日）",
    labelEn: "Approval cycle, business days",
    unit: { zh: "工作日", en: "business days" },
    type: "number",
    subject: "application",
    description:
      "Business days from submission to the decision (to the as-of date while undecided then): Monday–Friday except the business calendar's holidays, plus its adjusted working days.",
    source: "row",
    // A handful of days per application; the calendar's exceptions by their primary key.
    sql: (x) => sql`(select count(*)::int from generate_series(ap.submitted_on + 1, least(coalesce(ap.decided_on, ${x.d}), ${x.d}), interval '1 day') g(day)
        left join business_calendar bc on bc.day = g.day::date
        where case bc.kind when 'workday' then true when 'holiday' then false else extract(isodow from g.day) < 6 end)`,
  },
  {
    key: "approved_not_drawn_days",
    labelZh: "获批未提款天数",
    labelEn: "Days approved but not drawn",
    unit: DAYS,
    type: "number",
    subject: "application",
    description: "For an approved application with no loan drawn from it by the as-of date: days since approval; empty otherwise.",
    source: "row",
    sql: (x) => sql`case when ap.status in ('approved', 'drawn') and ap.decided_on <= ${x.d}
        and (dl.first_drawn_on is null or dl.first_drawn_on > ${x.d})
        then ${x.d} - ap.decided_on end`,
  },
  {
    key: "application_withdrawn",
    labelZh: "申请已撤回",
    labelEn: "Application withdrawn",
    unit: FLAG,
    type: "boolean",
    subject: "application",
    description: "The customer withdrew the application on or before the as-of date.",
    source: "row",
    sql: (x) => sql`(ap.status = 'withdrawn' and ap.decided_on <= ${x.d})`,
  },
  {
    key: "application_rejected",
    labelZh: "申请被拒绝",
    labelEn: "Application rejected",
    unit: FLAG,
    type: "boolean",
    subject: "application",
    description: "The bank rejected the application on or before the as-of date.",
    source: "row",
    sql: (x) => sql`(ap.status = 'rejected' and ap.decided_on <= ${x.d})`,
  },
  {
    key: "application_amount",
    labelZh: "申请金额",
    labelEn: "Amount applied for",
    unit: YUAN,
    type: "number",
    subject: "application",
    description: "The amount the customer applied for.",
    source: "row",
    sql: () => sql`round(ap.amount_fen / 100.0, 2)`,
  },
  {
    key: "application_registered_capital",
    labelZh: "申请客户注册资本",
    labelEn: "Applicant registered capital",
    unit: YUAN,
    type: "number",
    subject: "application",
    description: "The applicant's registered capital.",
    source: "row",
    sql: () => sql`round(c.registered_capital_fen / 100.0, 2)`,
  },
];

export const FEATURE_BY_KEY: ReadonlyMap<string, Feature> = new Map(FEATURES.map((f) => [f.key, f]));

export function featureOf(key: string): Feature | undefined {
  return FEATURE_BY_KEY.get(key);
}

export function featuresFor(subject: Subject): Feature[] {
  return FEATURES.filter((f) => f.subject === subject);
}

export type FeatureInfo = Omit<Feature, "sql" | "none" | "source">;

/** The catalogue without its SQL: what a rule editor or an API may show. */
export function featureCatalogue(subject?: Subject): FeatureInfo[] {
  return FEATURES.filter((f) => !subject || f.subject === subject).map(({ key, labelZh, labelEn, unit, type, subject: s, description, values }) => ({
    key,
    labelZh,
    labelEn,
    unit,
    type,
    subject: s,
    description,
    ...(values ? { values } : {}),
  }));
}

/** Labels, units and types of the features a warning's evidence names, for the pages that show evidence. */
export function featureLabels(keys: Iterable<string>): Record<string, Pick<FeatureInfo, "labelZh" | "labelEn" | "unit" | "type">> {
  const wanted = new Set(keys);
  const labels: Record<string, Pick<FeatureInfo, "labelZh" | "labelEn" | "unit" | "type">> = {};
  for (const f of FEATURES) if (wanted.has(f.key)) labels[f.key] = { labelZh: f.labelZh, labelEn: f.labelEn, unit: f.unit, type: f.type };
  return labels;
}

/** The catalogue as the rule editor offers it: each feature's label and unit in the reader's language. */
export function featureChoices(en: boolean) {
  return featureCatalogue().map((f) => ({
    key: f.key,
    label: en ? f.labelEn : f.labelZh,
    unit: en ? f.unit.en : f.unit.zh,
    type: f.type,
    subject: f.subject,
    values: f.values ? [...f.values] : undefined,
  }));
}

// Keys become SQL identifiers (quoted, and only ever taken from this module): keep them plain.
for (const f of FEATURES) {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(f.key)) throw new Error(`feature key "${f.key}" must be snake_case`);
  if (f.type === "text" && !f.values?.length) throw new Error(`text feature "${f.key}" needs its allowed values`);
}
if (FEATURE_BY_KEY.size !== FEATURES.length) throw new Error("feature keys must be unique");

/** The subject set of a target, as a condition on the subject's id column. */
function targetFilter(subject: Subject, target: Target): SQL {
  const own = subject === "loan" ? sql`l.id` : subject === "customer" ? sql`c.id` : sql`ap.id`;
  switch (target.kind) {
    case "all":
      return sql`true`;
    case "range":
      return sql`${own} between ${target.from}::int and ${target.to}::int`;
    case "loans":
      if (subject === "loan") return sql`l.id = any(${sql.param(target.ids)}::int[])`;
      // Customers (and their applications) of the given loans: an event on a loan re-evaluates its customer.
      return sql`${subject === "customer" ? sql`c.id` : sql`ap.customer_id`} in (select tl.customer_id from loans tl where tl.id = any(${sql.param(target.ids)}::int[]))`;
  }
}

// A source gets the as-of date, the target filter (over `l`, for sources with nested subqueries to narrow) and `own`:
// the same range on another loan_id column. The planner carries equalities across joins but not ranges, so without
// it a COB partition (a range of loan ids) joined installments/repayments/history through a whole-table scan.
type Own = (loanIdColumn: SQL) => SQL;
type Shape = { from: (own: Own, narrow: boolean) => SQL; live: (d: SQL) => SQL; id: SQL; keys: SQL; sources: Partial<Record<Source, (d: SQL, where: SQL, own: Own, narrow: boolean) => SQL>> };

// The days some installment of a loan was due and not covered, as one multirange (an aggregate over installments `i`
// joined to their state `s`): installments covered by their due date (or prepaid early) add nothing, and only what
// was still late in the last 200 days (the longest repayment window is 6 months) is kept.
const lateCond = (d: SQL, i: SQL, s: SQL) => sql`${i}.due_on <= ${d} and (${s}.settled_on is null or ${s}.settled_on > greatest(${i}.due_on, ${d} - 200))`;
const lateDays = (d: SQL, i: SQL, s: SQL) => sql`range_agg(daterange(${i}.due_on, ${s}.settled_on)) filter (where ${lateCond(d, i, s)})`;
// The repayments of the repayment features: the last 6 months up to as-of.
const recentRepayment = (d: SQL) => sql`r.paid_on <= ${d} and r.paid_on > ${d} - interval '6 months'`;

// The loans a loan-subject evaluation looks at: drawn by the as-of date and not closed before it.
const liveLoan = (d: SQL) => sql`l.disbursed_on <= ${d} and (l.closed_on is null or l.closed_on > ${d})`;

const SHAPES: Record<Subject, Shape> = {
  loan: {
    // For a range or a batch, the customer is one index probe per loan: a hash join would read the whole customers
    // table for every COB partition (the offset keeps the planner from flattening the probe back into that join).
    from: (own, narrow) => sql`loans l ${
      // Features only: no customer column of this row leaves the evaluation.
      // eslint-disable-next-line no-restricted-syntax
      narrow ? sql`join lateral (select * from customers c where c.id = l.customer_id offset 0) c on true` : sql`join customers c on c.id = l.customer_id`
    } left join loan_state ls on ls.loan_id = l.id and ${own(sql`ls.loan_id`)}`,
    live: liveLoan,
    id: sql`l.id`,
    keys: sql`'loan:' || l.id as subject_key, l.customer_id, l.id as loan_id, l.application_id`,
    sources: {
      installments: (_d, _w, own) => sql`from loans l join installments i on i.loan_id = l.id and ${own(sql`i.loan_id`)}
        left join installment_state s on s.loan_id = i.loan_id and s.installment_no = i.installment_no and ${own(sql`s.loan_id`)}`,
      // The recent repayments, each with its loan's `late` days (lateDays) from a join, not a probe per repayment.
      repayments: (d, where, own) => sql`from loans l join repayments r on r.loan_id = l.id and ${own(sql`r.loan_id`)} and ${recentRepayment(d)}
        left join (
          select l.id as loan_id, ${lateDays(d, sql`pi`, sql`ps`)} as late
          from loans l join installments pi on pi.loan_id = l.id and ${own(sql`pi.loan_id`)}
          left join installment_state ps on ps.loan_id = pi.loan_id and ps.installment_no = pi.installment_no and ${own(sql`ps.loan_id`)}
          where ${where} and ${lateCond(d, sql`pi`, sql`ps`)}
          group by l.id
        ) rl on rl.loan_id = l.id`,
      // For a range or batch the payment date is a probe per allocation (a join could hash the whole repayments table).
      prepayments: (d, _w, own, narrow) => sql`from loans l join repayment_allocations a on a.loan_id = l.id and ${own(sql`a.loan_id`)} and a.component = 'prepayment'
        ${narrow ? sql`join lateral (select r.paid_on from repayments r where r.id = a.repayment_id and r.paid_on <= ${d} offset 0) r on true` : sql`join repayments r on r.id = a.repayment_id and r.paid_on <= ${d}`}`,
      history: (d, _w, own) => sql`from loans l join loan_state_history h on h.loan_id = l.id and ${own(sql`h.loan_id`)} and h.changed_on <= ${d}`,
      // Probes of applications_customer_idx per loan (as for customers above, not a scan of every application).
      applications: (d, _w, _o, narrow) => {
        const match = sql`ap.customer_id = l.customer_id and ap.id is distinct from l.application_id and ap.submitted_on <= ${d}
          and ap.submitted_on >= l.maturity_on - 120 and not (ap.status in ('rejected', 'withdrawn') and ap.decided_on <= ${d})`;
        return narrow ? sql`from loans l join lateral (select ap.id from applications ap where ${match} offset 0) ap on true` : sql`from loans l join applications ap on ${match}`;
      },
    },
  },
  customer: {
    from: () => sql`customers c`,
    live: () => sql`true`,
    id: sql`c.id`,
    keys: sql`'customer:' || c.id as subject_key, c.id as customer_id, null::int as loan_id, null::int as application_id`,
    sources: {
      loans: (d) => sql`from customers c join loans l on l.customer_id = c.id and ${liveLoan(d)} left join loan_state ls on ls.loan_id = l.id`,
    },
  },
  application: {
    // A probe of loans_application_idx per application: an event batch of a few customers reads a few rows, where a
    // grouped pass over the whole loans table grew with the portfolio (docs/benchmarks.md).
    from: () => sql`applications ap join customers c on c.id = ap.customer_id left join lateral (
        select min(dl.id) as loan_id, min(dl.disbursed_on) as first_drawn_on from loans dl where dl.application_id = ap.id
      ) dl on true`,
    live: (d) => sql`ap.submitted_on <= ${d}`,
    id: sql`ap.id`,
    keys: sql`'application:' || ap.id as subject_key, ap.customer_id, dl.loan_id, ap.id as application_id`,
    sources: {},
  },
};

/**
 * One row per subject of `target` (live loans, customers, or applications submitted by `asOf`) with `subject_key`,
 * `customer_id`, `loan_id`, `application_id` and one column per feature, named by its key. `keys` limits the
 * columns (and so the joins) to the features a rule needs; the default is every feature of the subject.
 * For the customer and application subjects a "range" target is over their own ids, a "loans" target means the
 * customers of those loans (and their applications).
 */
export function featureSql(subject: Subject, target: Target, asOf: string, keys?: readonly string[]): SQL {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  const shape = SHAPES[subject];
  const wanted = keys ? [...new Set(keys)].map((k) => mustFeature(k, subject)) : featuresFor(subject);
  const x: FeatureCtx = { d: sql`${asOf}::date` };
  const where = targetFilter(subject, target);
  // Only a range over loan ids gains from repeating the filter (event batches keep their exact, cached plans).
  const own: Own = subject === "loan" && target.kind === "range" ? (col) => sql`${col} between ${target.from}::int and ${target.to}::int` : () => sql`true`;
  // A range or a batch of loans: index probes where a whole-portfolio pass would hash whole tables.
  const narrow = target.kind !== "all";
  const columns: SQL[] = [shape.keys];
  const joins: SQL[] = [];
  const bySource = new Map<Source, Feature[]>();
  for (const f of wanted) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
  // For a range or a batch of loans the repayment features take the late days from the installments source (the
  // join of installments to their state is then made once, as ordered merges, not twice) and read each loan's recent
  // repayments through a lateral probe; a whole-portfolio pass keeps the grouped join of the repayments source.
  const lateral = narrow && subject === "loan" && bySource.has("repayments");
  if (lateral) {
    const repayments = bySource.get("repayments")!;
    bySource.delete("repayments");
    if (!bySource.has("installments")) bySource.set("installments", []);
    bySource.set("repayments", repayments); // after the installments source, whose `late` it reads
  }
  for (const [source, fs] of bySource) {
    if (source === "row") {
      for (const f of fs) columns.push(sql`${f.sql(x)} as ${sql.identifier(f.key)}`);
      continue;
    }
    const from = shape.sources[source];
    if (!from) throw new Error(`feature source "${source}" is not defined for subject ${subject}`);
    const alias = sql.identifier(`src_${source}`);
    const aggs = fs.map((f) => sql`${f.sql(x)} as ${sql.identifier(f.key)}`);
    if (lateral && source === "installments") aggs.push(sql`${lateDays(x.d, sql`i`, sql`s`)} as late`);
    if (lateral && source === "repayments") {
      joins.push(sql`left join lateral (select ${sql.join(aggs, sql`, `)} from (select src_installments.late) rl
        join repayments r on r.loan_id = l.id and ${recentRepayment(x.d)}) ${alias} on true`);
    } else {
      joins.push(sql`left join (select ${shape.id} as subject_id, ${sql.join(aggs, sql`, `)} ${from(x.d, where, own, narrow)} where ${shape.live(x.d)} and ${where} group by ${shape.id}) ${alias} on ${alias}.subject_id = ${shape.id}`);
    }
    for (const f of fs) columns.push(sql`coalesce(${alias}.${sql.identifier(f.key)}, ${f.none ?? sql`null`}) as ${sql.identifier(f.key)}`);
  }
  return sql`select ${sql.join(columns, sql`, `)} from ${shape.from(own, narrow)} ${sql.join(joins, sql` `)} where ${shape.live(x.d)} and ${where}`;
}

function mustFeature(key: string, subject: Subject): Feature {
  const f = FEATURE_BY_KEY.get(key);
  if (!f || f.subject !== subject) throw new Error(`unknown ${subject} feature "${key}"`);
  return f;
}
