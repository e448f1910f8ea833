// The domain's value lists, declared once: the database enums (lib/db/schema.ts builds its pgEnums from these), zod
// schemas, seed, server and browser code all import them from here. Pure and client-safe: no drizzle, no Node
// modules. Every value has its words in messages/*.json (messages/catalogue.test.ts checks it).

/** The people who use the screens. */
export const STAFF_ROLES = ["rm", "supervisor", "hr", "admin"] as const;
/**
 * Every role: staff, and `integration`, the service account of the core banking feed. It writes customers, loans and
 * repayments through /api/v1 with an API token, never signs in to the screens, and needs no branch.
 */
export const ROLES = [...STAFF_ROLES, "integration"] as const;
export type Role = (typeof ROLES)[number];

// ---- Customers, applications, loans ----
export const CUSTOMER_STATUSES = ["active", "dormant", "churned"] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export const APPLICATION_STATUSES = ["submitted", "approved", "rejected", "withdrawn", "drawn"] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const REPAYMENT_METHODS = ["equal_installment", "equal_principal", "interest_only", "bullet"] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];
export const LOAN_STATUSES = ["active", "matured", "prepaid", "defaulted", "written_off", "terminated"] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];
export const REPAYMENT_SOURCES = ["file", "api", "seed", "manual"] as const;
export type RepaymentSource = (typeof REPAYMENT_SOURCES)[number];
/** 五级分类, in rank order (SQL compares classes by their position in this enum). */
export const CLASSIFICATIONS = ["normal", "special_mention", "substandard", "doubtful", "loss"] as const;
/** Churn-risk bands of the active scorecard (lib/model/versions.ts): top 10% of the training scores high, next 20% medium. */
export const RISK_BANDS = ["low", "medium", "high"] as const;
export type RiskBand = (typeof RISK_BANDS)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];

// ---- Churn: stage, will, reason family ----
export const STAGES = ["pre_loan", "post_loan"] as const;
export type Stage = (typeof STAGES)[number];
export const WILLS = ["voluntary", "involuntary"] as const;
export type Will = (typeof WILLS)[number];
export const REASON_FAMILIES = ["market_demand", "funding_chain", "credit_risk", "service_competition"] as const;
export type ReasonFamily = (typeof REASON_FAMILIES)[number];
/** What ended the relationship (docs/churn.md defines each); "other" only for events an RM records without a detected kind. */
export const PRE_LOAN_CHURN_KINDS = ["application_rejected", "application_withdrawn", "approved_not_drawn"] as const;
export const POST_LOAN_CHURN_KINDS = ["prepaid_in_full", "large_partial_prepayment", "default", "terminated", "written_off", "matured_not_renewed"] as const;
export const CHURN_KINDS = [...PRE_LOAN_CHURN_KINDS, ...POST_LOAN_CHURN_KINDS, "other"] as const;
export type ChurnKind = (typeof CHURN_KINDS)[number];
export const CHURN_SOURCES = ["detected", "recorded"] as const;
export type ChurnSource = (typeof CHURN_SOURCES)[number];
export const CHURN_EVENT_STATUSES = ["detected", "confirmed", "dismissed"] as const;
export type ChurnEventStatus = (typeof CHURN_EVENT_STATUSES)[number];

// ---- Churn reports (docs/reports.md) ----
export const REPORT_STATUSES = ["queued", "running", "ready", "failed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_TRIGGERS = ["user", "schedule"] as const;
export type ReportTrigger = (typeof REPORT_TRIGGERS)[number];

// ---- Warning rules and warnings ----
/** Ascending: SQL and priorityRank() order by the position in this list. A task's priority is a severity. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Most severe first, as lists, filters and cards show them. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].reverse();
/** Severity colours (antd preset names): critical red, high orange, medium gold, low blue. */
export const SEVERITY_COLOUR: Record<Severity, "red" | "orange" | "gold" | "blue"> = { critical: "red", high: "orange", medium: "gold", low: "blue" };

/** What a rule is about (and which features it may test). */
export const SUBJECTS = ["loan", "customer", "application"] as const;
export type Subject = (typeof SUBJECTS)[number];
/**
 * Which subjects an evaluation covers: some loans (by id; customers and applications of those loans), a range of the
 * subject's own ids (a nightly-run partition), or everything.
 */
export type Target = { kind: "loans"; ids: number[] } | { kind: "range"; from: number; to: number } | { kind: "all" };
export const RULE_VERSION_STATUSES = ["proposed", "active", "rejected", "superseded"] as const;
export type RuleVersionStatus = (typeof RULE_VERSION_STATUSES)[number];
export const WARNING_STATUSES = ["open", "closed"] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

// ---- Imports ----
export const IMPORT_KINDS = ["customers", "applications", "loans", "schedules", "repayments"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ["queued", "parsing", "validating", "writing", "succeeded", "rejected", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

// ---- Intervention tasks ----
export const TASK_STATUSES = ["open", "acknowledged", "in_progress", "resolved", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** The statuses of a task still being worked (at most one such task per customer). */
export const ACTIVE_TASK_STATUSES = ["open", "acknowledged", "in_progress"] as const satisfies readonly TaskStatus[];
export type ActiveTaskStatus = (typeof ACTIVE_TASK_STATUSES)[number];
export const TASK_OUTCOMES = ["retained", "restructured", "recovered", "churned", "false_alarm"] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
export const FOLLOW_UP_TYPES = ["phone", "visit", "meeting", "message", "email", "restructuring_proposal"] as const;
export type FollowUpType = (typeof FOLLOW_UP_TYPES)[number];
export const PROMISE_STATUSES = ["pending", "kept", "broken"] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];
