// The churnwatch data model. Money is integer fen (bigint), rates are numeric: never floats. Enum values come from
// lib/vocabulary.ts, the one list the rest of the code shares.
import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  boolean,
  char,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import {
  APPLICATION_STATUSES,
  CHURN_EVENT_STATUSES,
  CHURN_KINDS,
  CHURN_SOURCES,
  CLASSIFICATIONS,
  CUSTOMER_STATUSES,
  FOLLOW_UP_TYPES,
  IMPORT_KINDS,
  IMPORT_STATUSES,
  LOAN_STATUSES,
  PROMISE_STATUSES,
  REASON_FAMILIES,
  REPORT_STATUSES,
  REPORT_TRIGGERS,
  REPAYMENT_METHODS,
  REPAYMENT_SOURCES,
  ROLES,
  RULE_VERSION_STATUSES,
  RUN_STATUSES,
  SEVERITIES,
  STAGES,
  SUBJECTS,
  TASK_OUTCOMES,
  TASK_STATUSES,
  WARNING_STATUSES,
  WILLS,
} from "../vocabulary";

export const roleEnum = pgEnum("role", ROLES);
export const customerStatusEnum = pgEnum("customer_status", CUSTOMER_STATUSES);
export const applicationStatusEnum = pgEnum("application_status", APPLICATION_STATUSES);
export const repaymentMethodEnum = pgEnum("repayment_method", REPAYMENT_METHODS);
export const loanStatusEnum = pgEnum("loan_status", LOAN_STATUSES);
export const repaymentSourceEnum = pgEnum("repayment_source", REPAYMENT_SOURCES);
export const churnStageEnum = pgEnum("churn_stage", STAGES);
export const churnWillEnum = pgEnum("churn_will", WILLS);
export const reasonFamilyEnum = pgEnum("reason_family", REASON_FAMILIES);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const fen = (name: string) => bigint(name, { mode: "number" });

export const branches = pgTable("branches", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  nameEn: text("name_en").notNull(),
  region: text("region").notNull(),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    role: roleEnum("role").notNull(),
    branchId: integer("branch_id").references(() => branches.id),
    active: boolean("active").notNull().default(true),
    // Null for users who only sign in through the bank's SSO.
    passwordHash: text("password_hash"),
    email: text("email"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_username_uq").on(sql`lower(${t.username})`), index("users_branch_idx").on(t.branchId, t.role)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    // sha256 of the secret; the secret itself is shown once and never stored.
    tokenHash: text("token_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    // A token that is never rotated is a standing credential: every token ends (90 days unless set when created).
    expiresAt: timestamp("expires_at", { withTimezone: true })
      .notNull()
      .default(sql`now() + interval '90 days'`),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);

// Single sign-on identities bound to users: the IdP's (issuer, subject) pair is the only stable, unique key an
// OIDC provider gives; one subject per user and issuer. Linked on first sign-in by a verified e-mail, or by an admin.
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    linkedBy: text("linked_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), uniqueIndex("sso_identities_user_issuer_uq").on(t.userId, t.issuer)],
);

// Failed sign-ins, counted per account and per client address to throttle guessing.
export const authFailures = pgTable(
  "auth_failures",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("auth_failures_key_at_idx").on(t.key, t.at)],
);

export const customers = pgTable(
  "customers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    customerNo: text("customer_no").notNull().unique(),
    name: text("name").notNull(),
    creditCode: char("credit_code", { length: 18 }).notNull().unique(),
    legalRep: text("legal_rep").notNull(),
    registeredCapitalFen: fen("registered_capital_fen").notNull(),
    industryCode: text("industry_code").notNull(),
    region: text("region").notNull(),
    branchId: integer("branch_id")
      .notNull()
      .references(() => branches.id),
    rmId: integer("rm_id")
      .notNull()
      .references(() => users.id),
    onboardedOn: date("onboarded_on").notNull(),
    status: customerStatusEnum("status").notNull().default("active"),
    // Set by churn detection (lib/churn/detect.ts): the day the last relationship ended, and the drawdown that
    // brought a churned customer back (status returns to active; churned_on keeps the earlier loss).
    churnedOn: date("churned_on"),
    wonBackOn: date("won_back_on"),
    // Contact data: read only through contactField (lib/auth/scope.ts, enforced by lint), so hidden from HR.
    contactPerson: text("contact_person"),
    contactPhone: text("contact_phone"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("customers_branch_idx").on(t.branchId),
    index("customers_rm_idx").on(t.rmId),
    index("customers_industry_idx").on(t.industryCode),
  ],
);

export const applications = pgTable(
  "applications",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    applicationNo: text("application_no").notNull().unique(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    product: text("product").notNull(),
    amountFen: fen("amount_fen").notNull(),
    submittedOn: date("submitted_on").notNull(),
    decidedOn: date("decided_on"),
    status: applicationStatusEnum("status").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("applications_customer_idx").on(t.customerId)],
);

export const loans = pgTable(
  "loans",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    contractNo: text("contract_no").notNull().unique(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    applicationId: integer("application_id").references(() => applications.id),
    product: text("product").notNull(),
    principalFen: fen("principal_fen").notNull(),
    annualRate: numeric("annual_rate", { precision: 9, scale: 6 }).notNull(),
    termMonths: smallint("term_months").notNull(),
    method: repaymentMethodEnum("method").notNull(),
    disbursedOn: date("disbursed_on").notNull(),
    maturityOn: date("maturity_on").notNull(),
    status: loanStatusEnum("status").notNull().default("active"),
    closedOn: date("closed_on"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // application_id: the application subject looks up the loans drawn from each application it evaluates.
  (t) => [index("loans_customer_idx").on(t.customerId), index("loans_application_idx").on(t.applicationId).where(sql`application_id is not null`)],
);

export const installments = pgTable(
  "installments",
  {
    loanId: integer("loan_id")
      .notNull()
      .references(() => loans.id),
    installmentNo: smallint("installment_no").notNull(),
    dueOn: date("due_on").notNull(),
    principalDueFen: fen("principal_due_fen").notNull(),
    interestDueFen: fen("interest_due_fen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.loanId, t.installmentNo] })],
);

export const repayments = pgTable(
  "repayments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    loanId: integer("loan_id")
      .notNull()
      .references(() => loans.id),
    paidOn: date("paid_on").notNull(),
    amountFen: fen("amount_fen").notNull(),
    source: repaymentSourceEnum("source").notNull(),
    // The core system's transaction id; re-sending the same one is a no-op.
    externalId: text("external_id").notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index("repayments_loan_paid_idx").on(t.loanId, t.paidOn)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: integer("actor_id").references(() => users.id),
    // "user" for people, "system" for workers, CLI and seed.
    actorKind: text("actor_kind").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [index("audit_entity_idx").on(t.entity, t.entityId), index("audit_at_idx").on(t.at)],
);

// What the demo generator decided would happen to each customer: the yardstick for warning precision and lead time.
export const churnTruth = pgTable("churn_truth", {
  customerId: integer("customer_id")
    .primaryKey()
    .references(() => customers.id),
  behaviour: text("behaviour").notNull(),
  churns: boolean("churns").notNull(),
  stage: churnStageEnum("stage"),
  will: churnWillEnum("will"),
  reasonFamily: reasonFamilyEnum("reason_family"),
  // First day the behaviour shows in the data, and the day the customer is lost.
  signalOn: date("signal_on"),
  churnOn: date("churn_on"),
  loanId: integer("loan_id").references(() => loans.id),
  applicationId: integer("application_id").references(() => applications.id),
  note: text("note").notNull(),
});

// Key/value settings kept in the database (e.g. the seed's as-of date).
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

// ---- Data intake and loan state (imports, API idempotency, delinquency engine, outbox) ----

export const classificationEnum = pgEnum("classification", CLASSIFICATIONS);
export const importKindEnum = pgEnum("import_kind", IMPORT_KINDS);
export const importStatusEnum = pgEnum("import_status", IMPORT_STATUSES);

// What each installment has received, written by the delinquency engine (derived; recomputed from repayments).
export const installmentState = pgTable(
  "installment_state",
  {
    loanId: integer("loan_id")
      .notNull()
      .references(() => loans.id),
    installmentNo: smallint("installment_no").notNull(),
    paidPrincipalFen: fen("paid_principal_fen").notNull(),
    paidInterestFen: fen("paid_interest_fen").notNull(),
    paidPenaltyFen: fen("paid_penalty_fen").notNull(),
    penaltyAccruedFen: fen("penalty_accrued_fen").notNull(),
    // The day principal and interest were fully covered; null while anything is owed.
    settledOn: date("settled_on"),
  },
  (t) => [primaryKey({ columns: [t.loanId, t.installmentNo] })],
);

// How each repayment was split (sums equal the payment; 'unapplied' is money beyond everything owed).
export const repaymentAllocations = pgTable(
  "repayment_allocations",
  {
    repaymentId: bigint("repayment_id", { mode: "number" })
      .notNull()
      .references(() => repayments.id),
    loanId: integer("loan_id")
      .notNull()
      .references(() => loans.id),
    installmentNo: smallint("installment_no").notNull(),
    component: text("component").notNull(),
    amountFen: fen("amount_fen").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.repaymentId, t.installmentNo, t.component] }),
    index("allocations_loan_idx").on(t.loanId),
    // The prepayment features read only these columns of only these rows: an index-only scan per loan range.
    index("allocations_prepayment_idx").on(t.loanId, t.repaymentId, t.amountFen).where(sql`component = 'prepayment'`),
  ],
);

// Each loan's state as of the business date it was last computed for.
export const loanState = pgTable(
  "loan_state",
  {
    loanId: integer("loan_id")
      .primaryKey()
      .references(() => loans.id),
    asOf: date("as_of").notNull(),
    outstandingPrincipalFen: fen("outstanding_principal_fen").notNull(),
    overduePrincipalFen: fen("overdue_principal_fen").notNull(),
    overdueInterestFen: fen("overdue_interest_fen").notNull(),
    penaltyFen: fen("penalty_fen").notNull(),
    paidPrincipalFen: fen("paid_principal_fen").notNull(),
    paidInterestFen: fen("paid_interest_fen").notNull(),
    paidPenaltyFen: fen("paid_penalty_fen").notNull(),
    prepaidPrincipalFen: fen("prepaid_principal_fen").notNull(),
    dpd: integer("dpd").notNull(),
    bucket: text("bucket").notNull(),
    classification: classificationEnum("classification").notNull(),
    settled: boolean("settled").notNull(),
    settledOn: date("settled_on"),
    nextDueOn: date("next_due_on"),
    lastPaidOn: date("last_paid_on"),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("loan_state_dpd_idx").on(t.dpd), index("loan_state_class_idx").on(t.classification)],
);

// Every change of DPD bucket or classification, dated, with its cause: the data of the DPD/class chart.
export const loanStateHistory = pgTable(
  "loan_state_history",
  {
    loanId: integer("loan_id")
      .notNull()
      .references(() => loans.id),
    seq: integer("seq").notNull(),
    changedOn: date("changed_on").notNull(),
    cause: text("cause").notNull(),
    dpd: integer("dpd").notNull(),
    bucket: text("bucket").notNull(),
    classification: classificationEnum("classification").notNull(),
    before: jsonb("before"),
    after: jsonb("after").notNull(),
  },
  (t) => [primaryKey({ columns: [t.loanId, t.seq] })],
);

export const imports = pgTable(
  "imports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: importKindEnum("kind").notNull(),
    fileName: text("file_name").notNull(),
    fileBytes: bigint("file_bytes", { mode: "number" }).notNull(),
    // Where the uploaded file waits for the worker (removed once processed).
    storedPath: text("stored_path"),
    encoding: text("encoding").notNull().default("auto"),
    detectedEncoding: text("detected_encoding"),
    dryRun: boolean("dry_run").notNull().default(false),
    status: importStatusEnum("status").notNull().default("queued"),
    userId: integer("user_id").references(() => users.id),
    rowsParsed: integer("rows_parsed").notNull().default(0),
    rowsValidated: integer("rows_validated").notNull().default(0),
    rowsWritten: integer("rows_written").notNull().default(0),
    rowsNew: integer("rows_new").notNull().default(0),
    rowsChanged: integer("rows_changed").notNull().default(0),
    rowsUnchanged: integer("rows_unchanged").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    // The first errors (capped) as {row, column, code, params}; the total is error_count.
    errors: jsonb("errors").notNull().default([]),
    warnings: jsonb("warnings").notNull().default([]),
    failure: text("failure"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("imports_created_idx").on(t.createdAt)],
);

// API idempotency: the same key and body replays the first response; a different body is a conflict.
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code"),
    response: jsonb("response"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

// Work recorded in Postgres before it goes to Redis; a dispatcher moves rows to BullMQ, the reconciler re-sends.
export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    topic: text("topic").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
    // Set once the reconciler has seen the row's jobs completed; until then a lost job is sent again.
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [
    index("outbox_pending_idx").on(t.id).where(sql`dispatched_at is null`),
    // Per topic: the dispatcher counts a topic's sweeps in flight, and other topics' unconfirmed rows (thousands of
    // warning.opened while the task worker lags) must not be read for it. It also covers the reconciler's scan.
    index("outbox_inflight_idx").on(t.topic, t.dispatchedAt).where(sql`dispatched_at is not null and confirmed_at is null`),
  ],
);

// ---- Early warning: reference data, rules (versioned, maker-checker), warnings, nightly runs ----

export const severityEnum = pgEnum("severity", SEVERITIES);
export const ruleSubjectEnum = pgEnum("rule_subject", SUBJECTS);
export const ruleVersionStatusEnum = pgEnum("rule_version_status", RULE_VERSION_STATUSES);
export const warningStatusEnum = pgEnum("warning_status", WARNING_STATUSES);
export const runStatusEnum = pgEnum("run_status", RUN_STATUSES);

// Loan Prime Rate (LPR 1Y / 5Y) by effective date; admins keep it current.
export const referenceRates = pgTable(
  "reference_rates",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").notNull(),
    effectiveOn: date("effective_on").notNull(),
    rate: numeric("rate", { precision: 9, scale: 6 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("reference_rates_kind_on_uq").on(t.kind, t.effectiveOn)],
);

// Industries under policy or market stress (a section letter like "K" or a division like "C36").
export const industryWatchlist = pgTable("industry_watchlist", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  industryCode: text("industry_code").notNull().unique(),
  reason: text("reason").notNull(),
  active: boolean("active").notNull().default(true),
  addedBy: integer("added_by").references(() => users.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const rules = pgTable("rules", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  createdAt: createdAt(),
});

// Every edit is a new version; a proposal becomes active only when someone other than its proposer approves it.
export const ruleVersions = pgTable(
  "rule_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    ruleId: integer("rule_id")
      .notNull()
      .references(() => rules.id),
    version: integer("version").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    descriptionZh: text("description_zh").notNull().default(""),
    descriptionEn: text("description_en").notNull().default(""),
    subject: ruleSubjectEnum("subject").notNull(),
    condition: jsonb("condition").notNull(),
    severity: severityEnum("severity").notNull(),
    stage: churnStageEnum("stage").notNull(),
    will: churnWillEnum("will").notNull(),
    reasonFamily: reasonFamilyEnum("reason_family").notNull(),
    cooldownDays: integer("cooldown_days").notNull(),
    enabled: boolean("enabled").notNull(),
    status: ruleVersionStatusEnum("status").notNull(),
    proposedBy: integer("proposed_by").references(() => users.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    note: text("note"),
  },
  (t) => [
    uniqueIndex("rule_versions_rule_version_uq").on(t.ruleId, t.version),
    // At most one active version per rule.
    uniqueIndex("rule_versions_active_uq").on(t.ruleId).where(sql`status = 'active'`),
    // At most one pending proposal per rule: an admin's or the library's, never both, never two from racing workers.
    uniqueIndex("rule_versions_pending_uq").on(t.ruleId).where(sql`status = 'proposed'`),
  ],
);

// Versions of the text-signal lexicon (lib/signals/versions.ts): the same statuses and maker-checker as rule
// versions. The body is a whole lexicon, validated by lexiconSchema before it is written.
export const signalLexiconVersions = pgTable(
  "signal_lexicon_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    version: integer("version").notNull(),
    body: jsonb("body").notNull(),
    status: ruleVersionStatusEnum("status").notNull(),
    // Null for the built-in lexicon, installed or proposed by a release rather than a user.
    proposedBy: integer("proposed_by").references(() => users.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    // The proposer's note (what changed and why), and the checker's (a rejection's reason).
    note: text("note"),
    decisionNote: text("decision_note"),
  },
  (t) => [
    uniqueIndex("signal_lexicon_versions_version_uq").on(t.version),
    uniqueIndex("signal_lexicon_versions_active_uq").on(t.status).where(sql`status = 'active'`),
    // One pending proposal at a time, as for a rule: a checker never approves something that changed under them.
    uniqueIndex("signal_lexicon_versions_pending_uq").on(t.status).where(sql`status = 'proposed'`),
  ],
);

// Every definition of a built-in rule the library (lib/rules/library.ts) has delivered to this install, by its
// fingerprint: a definition is delivered once, so a rejected one, or an older release's, is not proposed again.
export const builtinRuleFingerprints = pgTable(
  "builtin_rule_fingerprints",
  {
    ruleId: integer("rule_id")
      .notNull()
      .references(() => rules.id),
    fingerprint: text("fingerprint").notNull(),
    // The version made to carry it (installed or proposed); null when the rule already had it active.
    versionId: integer("version_id").references(() => ruleVersions.id),
    // The release that delivered it; null for a rule installed before deliveries were recorded.
    release: text("release"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.fingerprint] }), index("builtin_rule_fingerprints_version_idx").on(t.versionId)],
);

export const warnings = pgTable(
  "warnings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ruleId: integer("rule_id")
      .notNull()
      .references(() => rules.id),
    ruleVersionId: integer("rule_version_id")
      .notNull()
      .references(() => ruleVersions.id),
    // "loan:123", "customer:45" or "application:6": what the rule looked at.
    subjectKey: text("subject_key").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    loanId: integer("loan_id").references(() => loans.id),
    applicationId: integer("application_id").references(() => applications.id),
    status: warningStatusEnum("status").notNull().default("open"),
    severity: severityEnum("severity").notNull(),
    stage: churnStageEnum("stage").notNull(),
    will: churnWillEnum("will").notNull(),
    reasonFamily: reasonFamilyEnum("reason_family").notNull(),
    openedOn: date("opened_on").notNull(),
    lastSeenOn: date("last_seen_on").notNull(),
    closedOn: date("closed_on"),
    closeReason: text("close_reason"),
    // Feature values, rule version and as-of date that raised (or last confirmed) the warning.
    evidence: jsonb("evidence").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("warnings_open_uq").on(t.ruleId, t.subjectKey).where(sql`status = 'open'`),
    // Closing what no longer matches looks up the open warnings of the evaluated loans (a COB partition's range).
    index("warnings_open_loan_idx").on(t.loanId).where(sql`status = 'open'`),
    // Re-opening within the cooldown finds the latest closed warning of a (rule, subject) that matches again.
    index("warnings_closed_key_idx").on(t.ruleId, t.subjectKey, t.closedOn).where(sql`status = 'closed'`),
    index("warnings_customer_idx").on(t.customerId, t.status),
    index("warnings_status_idx").on(t.status, t.severity),
    // Warning quality (lib/insights): a period's warnings, and the warnings of a customer before a churn event.
    index("warnings_opened_idx").on(t.openedOn),
    index("warnings_customer_opened_idx").on(t.customerId, t.openedOn),
  ],
);

// Why each warning opened, was confirmed, and closed: its history.
export const warningEvents = pgTable(
  "warning_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    warningId: bigint("warning_id", { mode: "number" })
      .notNull()
      .references(() => warnings.id),
    kind: text("kind").notNull(),
    asOf: date("as_of").notNull(),
    detail: jsonb("detail").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("warning_events_warning_idx").on(t.warningId)],
);

// Nightly portfolio runs (COB), split into partitions that any worker may process.
export const cobRuns = pgTable(
  "cob_runs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    asOf: date("as_of").notNull(),
    trigger: text("trigger").notNull(),
    requestedBy: integer("requested_by").references(() => users.id),
    status: runStatusEnum("status").notNull().default("queued"),
    partitionsTotal: integer("partitions_total").notNull().default(0),
    partitionsDone: integer("partitions_done").notNull().default(0),
    loansEvaluated: integer("loans_evaluated").notNull().default(0),
    warningsOpened: integer("warnings_opened").notNull().default(0),
    warningsClosed: integer("warnings_closed").notNull().default(0),
    failure: text("failure"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("cob_runs_as_of_idx").on(t.asOf)],
);

export const cobPartitions = pgTable(
  "cob_partitions",
  {
    runId: integer("run_id")
      .notNull()
      .references(() => cobRuns.id),
    partitionNo: integer("partition_no").notNull(),
    // 'loans': the loan rules over loan_id_from..loan_id_to; 'portfolio': the customer and application rules over the
    // whole portfolio (they read loan_state, not the partitions' results, so they run beside them, not after).
    scope: text("scope", { enum: ["loans", "portfolio"] }).notNull().default("loans"),
    loanIdFrom: integer("loan_id_from").notNull(),
    loanIdTo: integer("loan_id_to").notNull(),
    status: runStatusEnum("status").notNull().default("queued"),
    loans: integer("loans").notNull().default(0),
    opened: integer("opened").notNull().default(0),
    closed: integer("closed").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.runId, t.partitionNo] })],
);

// Signed-in sessions. The cookie names one of these rows; a session is valid only while its row says so (not
// revoked, before its absolute end), so sign-out, a password change or an admin reset take effect at the next
// request however many copies of the cookie exist. Rows go once expired: a missing row is refused as well.
export const authSessions = pgTable(
  "auth_sessions",
  {
    sid: text("sid").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId), index("auth_sessions_expires_idx").on(t.expiresAt)],
);

// ---- Intervention tasks: one open task per customer, its warnings, follow-ups, SLA timers, notifications ----

export const taskStatusEnum = pgEnum("task_status", TASK_STATUSES);
export const taskOutcomeEnum = pgEnum("task_outcome", TASK_OUTCOMES);
export const followUpTypeEnum = pgEnum("follow_up_type", FOLLOW_UP_TYPES);
export const promiseStatusEnum = pgEnum("promise_status", PROMISE_STATUSES);

export const tasks = pgTable(
  "tasks",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    // Null only when the branch had no active RM when the task opened: the supervisors are told to assign it.
    assigneeId: integer("assignee_id").references(() => users.id),
    status: taskStatusEnum("status").notNull().default("open"),
    priority: severityEnum("priority").notNull(),
    // Of the most severe warning attached: drives the playbook shown first.
    reasonFamily: reasonFamilyEnum("reason_family").notNull(),
    stage: churnStageEnum("stage").notNull(),
    will: churnWillEnum("will").notNull(),
    escalated: boolean("escalated").notNull().default(false),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    escalationReason: text("escalation_reason"),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    firstContactAt: timestamp("first_contact_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    // SLA timers on the business calendar: the reminder (75 %) and the deadline of first contact and resolution,
    // and when each fired (null = not yet; set exactly once, which makes reminders and escalations idempotent).
    contactRemindAt: timestamp("contact_remind_at", { withTimezone: true }).notNull(),
    contactDueAt: timestamp("contact_due_at", { withTimezone: true }).notNull(),
    resolveRemindAt: timestamp("resolve_remind_at", { withTimezone: true }).notNull(),
    resolveDueAt: timestamp("resolve_due_at", { withTimezone: true }).notNull(),
    contactRemindedAt: timestamp("contact_reminded_at", { withTimezone: true }),
    contactBreachedAt: timestamp("contact_breached_at", { withTimezone: true }),
    resolveRemindedAt: timestamp("resolve_reminded_at", { withTimezone: true }),
    resolveBreachedAt: timestamp("resolve_breached_at", { withTimezone: true }),
    outcome: taskOutcomeEnum("outcome"),
    // For outcome 'churned': the churn taxonomy of what actually happened.
    outcomeStage: churnStageEnum("outcome_stage"),
    outcomeWill: churnWillEnum("outcome_will"),
    outcomeReasonFamily: reasonFamilyEnum("outcome_reason_family"),
    // Free text that may name the customer's people: contact data, read through contactField like the columns below.
    resolutionNote: text("resolution_note"),
    cancelReason: text("cancel_reason"),
    // Optimistic concurrency for edits from two screens.
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("tasks_active_customer_uq").on(t.customerId).where(sql`status in ('open', 'acknowledged', 'in_progress')`),
    index("tasks_assignee_idx").on(t.assigneeId, t.status, t.resolveDueAt),
    index("tasks_status_idx").on(t.status, t.resolveDueAt),
    index("tasks_customer_idx").on(t.customerId, t.openedAt),
    // Warning quality (lib/insights): the tasks opened in a period.
    index("tasks_opened_idx").on(t.openedAt),
  ],
);

export const taskWarnings = pgTable(
  "task_warnings",
  {
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id),
    warningId: bigint("warning_id", { mode: "number" })
      .notNull()
      .references(() => warnings.id),
    attachedAt: timestamp("attached_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.warningId] }), index("task_warnings_warning_idx").on(t.warningId)],
);

// Every transition, attachment, reassignment, reminder and escalation: the task's audit trail.
export const taskEvents = pgTable(
  "task_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id),
    kind: text("kind").notNull(),
    actorId: integer("actor_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    detail: jsonb("detail").notNull().default({}),
  },
  (t) => [index("task_events_task_idx").on(t.taskId, t.id)],
);

// Playbook items the RM has ticked.
export const taskChecklist = pgTable(
  "task_checklist",
  {
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id),
    itemKey: text("item_key").notNull(),
    checkedBy: integer("checked_by")
      .notNull()
      .references(() => users.id),
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.itemKey] })],
);

export const followUps = pgTable(
  "follow_ups",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    // Null for routine contact an RM logs from the customer page outside any task.
    taskId: integer("task_id").references(() => tasks.id),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    type: followUpTypeEnum("type").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    // The person contacted and the notes (stored as written, Chinese or English: input for the later text-signal
    // work) are contact data: read only through contactField (lib/auth/scope.ts), so hidden from HR.
    contactPerson: text("contact_person"),
    notes: text("notes").notNull(),
    result: text("result"),
    nextActionOn: date("next_action_on"),
    nextActionNotifiedAt: timestamp("next_action_notified_at", { withTimezone: true }),
    promiseAmountFen: fen("promise_amount_fen"),
    promiseDueOn: date("promise_due_on"),
    promiseStatus: promiseStatusEnum("promise_status"),
    promiseSettledAt: timestamp("promise_settled_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("follow_ups_task_idx").on(t.taskId, t.occurredAt),
    index("follow_ups_customer_idx").on(t.customerId, t.occurredAt),
    index("follow_ups_promise_idx").on(t.promiseDueOn).where(sql`promise_status = 'pending'`),
    index("follow_ups_next_action_idx").on(t.nextActionOn).where(sql`next_action_on is not null and next_action_notified_at is null`),
  ],
);

// Text signals of follow-up notes (lib/signals/store.ts): one row per (note, signal) found by the lexicon version
// named, with the first evidence's span (UTF-16 offsets into the note): no text, so the tags are not contact data.
export const followUpSignals = pgTable(
  "follow_up_signals",
  {
    followUpId: integer("follow_up_id")
      .notNull()
      .references(() => followUps.id, { onDelete: "cascade" }),
    signal: text("signal").notNull(),
    polarity: text("polarity").notNull(),
    reasonFamily: reasonFamilyEnum("reason_family").notNull(),
    intensity: numeric("intensity", { precision: 4, scale: 2, mode: "number" }).notNull(),
    mentions: smallint("mentions").notNull(),
    spanStart: integer("span_start").notNull(),
    spanEnd: integer("span_end").notNull(),
    lexiconVersion: text("lexicon_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.followUpId, t.signal] }), index("follow_up_signals_signal_idx").on(t.signal, t.followUpId)],
);

// Which lexicon version last tagged a follow-up (also notes with no signal), so the nightly job tags only what the
// active version has not seen, and a newly activated version re-tags everything once.
export const followUpTagging = pgTable(
  "follow_up_tagging",
  {
    followUpId: integer("follow_up_id")
      .primaryKey()
      .references(() => followUps.id, { onDelete: "cascade" }),
    lexiconVersion: text("lexicon_version").notNull(),
    taggedAt: timestamp("tagged_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("follow_up_tagging_version_idx").on(t.lexiconVersion)],
);

export const notifications = pgTable(
  "notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    // assigned · reminder · escalated · reassigned · promise_broken · next_action
    kind: text("kind").notNull(),
    taskId: integer("task_id").references(() => tasks.id),
    // What makes a notification unique (e.g. "task:12:contact_remind:user:3"): a replay inserts nothing.
    dedupeKey: text("dedupe_key").notNull().unique(),
    detail: jsonb("detail").notNull().default({}),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.id), index("notifications_unread_idx").on(t.userId).where(sql`read_at is null`)],
);

// Business calendar exceptions: public holidays on weekdays, and weekend days worked instead (调休).
export const businessCalendar = pgTable("business_calendar", {
  day: date("day").primaryKey(),
  kind: text("kind").notNull(), // 'holiday' | 'workday'
  name: text("name").notNull(),
  updatedAt: updatedAt(),
});

// ---- Churn events: the fact that a relationship ended (docs/churn.md) ----

export const churnKindEnum = pgEnum("churn_kind", CHURN_KINDS);
export const churnSourceEnum = pgEnum("churn_source", CHURN_SOURCES);
export const churnEventStatusEnum = pgEnum("churn_event_status", CHURN_EVENT_STATUSES);

export const churnEvents = pgTable(
  "churn_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // "loan:123", "application:6" or "customer:45" (recorded events without a loan or application).
    subjectKey: text("subject_key").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    loanId: integer("loan_id").references(() => loans.id),
    applicationId: integer("application_id").references(() => applications.id),
    stage: churnStageEnum("stage").notNull(),
    kind: churnKindEnum("kind").notNull(),
    will: churnWillEnum("will").notNull(),
    // Null when neither an RM nor the evidence names one (shown as "undetermined").
    reasonFamily: reasonFamilyEnum("reason_family"),
    reasonInferred: boolean("reason_inferred").notNull(),
    effectiveOn: date("effective_on").notNull(),
    detectedOn: date("detected_on").notNull(),
    // The principal involved: amount applied (pre-loan), principal leaving the bank (post-loan; the prepaid part for a partial).
    exposureFen: fen("exposure_fen").notNull().default(0),
    principalLostFen: fen("principal_lost_fen").notNull().default(0),
    interestLostFen: fen("interest_lost_fen").notNull().default(0),
    interestForgoneFen: fen("interest_forgone_fen").notNull().default(0),
    source: churnSourceEnum("source").notNull(),
    status: churnEventStatusEnum("status").notNull().default("detected"),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    dismissReason: text("dismiss_reason"),
    // The task whose "churned" outcome confirmed or recorded it.
    taskId: integer("task_id").references(() => tasks.id),
    // What the detection saw (loan status, DPD, class, prepaid amount, rate spread…).
    evidence: jsonb("evidence").notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("churn_events_subject_kind_day_uq").on(t.subjectKey, t.kind, t.effectiveOn),
    index("churn_events_customer_idx").on(t.customerId, t.effectiveOn),
    index("churn_events_loan_idx").on(t.loanId).where(sql`loan_id is not null`),
    index("churn_events_effective_idx").on(t.effectiveOn, t.stage),
  ],
);

// Why an event was amended or removed when the data was re-derived (a backdated repayment cured a default…):
// the event's row before the change is kept here, so a removed event still has a history.
export const churnEventChanges = pgTable(
  "churn_event_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign key: the change of a removed event outlives its row.
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    subjectKey: text("subject_key").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    kind: churnKindEnum("kind").notNull(),
    // 'removed' | 'amended'
    change: text("change").notNull(),
    // e.g. 'backdated_repayment', 'default_cured', 'status_changed', 'data_changed'
    reason: text("reason").notNull(),
    asOf: date("as_of").notNull(),
    before: jsonb("before").notNull(),
    after: jsonb("after"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("churn_event_changes_event_idx").on(t.eventId), index("churn_event_changes_customer_idx").on(t.customerId)],
);

// ---- Month-end snapshots: the NPL trend's past points (docs/telemetry.md "Month-end snapshots") ----

// Each loan in the portfolio at a month-end (disbursed by then, not settled): its class and principal balance then.
export const loanMonthEnds = pgTable(
  "loan_month_ends",
  {
    monthEnd: date("month_end").notNull(),
    loanId: integer("loan_id")
      .notNull()
      .references(() => loans.id),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    classification: classificationEnum("classification").notNull(),
    balanceFen: fen("balance_fen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.monthEnd, t.loanId] }), index("loan_month_ends_customer_idx").on(t.customerId, t.monthEnd)],
);

// The same month-end summed by branch (the customer's branch when it was written) and class: what the trend reads.
export const portfolioMonthEnds = pgTable(
  "portfolio_month_ends",
  {
    monthEnd: date("month_end").notNull(),
    branchId: integer("branch_id")
      .notNull()
      .references(() => branches.id),
    classification: classificationEnum("classification").notNull(),
    loans: integer("loans").notNull(),
    balanceFen: fen("balance_fen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.monthEnd, t.branchId, t.classification] })],
);

// One row per month-end written (complete): the trend trusts a month-end's aggregates only when its row is here.
export const monthEndSnapshots = pgTable("month_end_snapshots", {
  monthEnd: date("month_end").primaryKey(),
  loans: integer("loans").notNull(),
  balanceFen: fen("balance_fen").notNull(),
  writtenAt: timestamp("written_at", { withTimezone: true }).notNull().defaultNow(),
});
// ---- Churn reports: versioned snapshots (docs/reports.md) ----

export const reportStatusEnum = pgEnum("report_status", REPORT_STATUSES);
export const reportTriggerEnum = pgEnum("report_trigger", REPORT_TRIGGERS);
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

// One report of a scope (a branch, or the bank when branch_id is null) and a period. Its figures live in
// report_sections, written once by the reports worker; `revision` moves with every change a rendering must follow.
export const reports = pgTable(
  "reports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    branchId: integer("branch_id").references(() => branches.id),
    // "2026-11", "2026-Q3" or "2026", and the inclusive business dates it stands for.
    period: text("period").notNull(),
    periodFrom: date("period_from").notNull(),
    periodTo: date("period_to").notNull(),
    status: reportStatusEnum("status").notNull().default("queued"),
    // 0–100 and the step under way, written by the worker while it generates.
    progress: smallint("progress").notNull().default(0),
    phase: text("phase"),
    trigger: reportTriggerEnum("trigger").notNull(),
    requestedBy: integer("requested_by").references(() => users.id),
    // The data date the figures were read for (the business day of generation).
    asOf: date("as_of"),
    revision: integer("revision").notNull().default(0),
    failure: text("failure"),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    generatedAt: timestamp("generated_at", { withTimezone: true }),
    finalisedBy: integer("finalised_by").references(() => users.id),
    finalisedAt: timestamp("finalised_at", { withTimezone: true }),
  },
  (t) => [
    index("reports_branch_idx").on(t.branchId, t.createdAt),
    // The monthly draft is written once per branch and month, however many workers run the schedule.
    uniqueIndex("reports_scheduled_uq").on(sql`coalesce(${t.branchId}, 0)`, t.period).where(sql`trigger = 'schedule'`),
  ],
);

// The snapshot: section 1–4 bodies as JSON. A section is never updated in place; an edit of the measures (section 4)
// adds a version, so the history of what the supervisor changed stays readable. The latest version is the report.
export const reportSections = pgTable(
  "report_sections",
  {
    reportId: integer("report_id")
      .notNull()
      .references(() => reports.id),
    section: smallint("section").notNull(),
    version: integer("version").notNull(),
    body: jsonb("body").notNull(),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.section, t.version] })],
);

// The PDF the worker rendered for a revision of the report (served by the export route while the revision holds).
export const reportFiles = pgTable(
  "report_files",
  {
    reportId: integer("report_id")
      .notNull()
      .references(() => reports.id),
    format: text("format").notNull(),
    revision: integer("revision").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.format] })],
);

// ---- Staff incentives: versioned point schemes, an append-only points ledger, monthly periods (docs/incentives.md) ----

export const incentiveEntryStatusEnum = pgEnum("incentive_entry_status", ["pending", "payable", "clawed_back", "adjusted"]);

// A scheme version is the whole set of point rules (values and windows as data), validated by schemeSchema
// (lib/incentives/scheme.ts). HR or an admin proposes; another HR user or admin approves; it applies to events of
// its effective period onwards, until a later approved version's.
export const incentiveSchemeVersions = pgTable(
  "incentive_scheme_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    version: integer("version").notNull(),
    // YYYY-MM: the first period whose events this version scores.
    effectiveFrom: text("effective_from").notNull(),
    body: jsonb("body").notNull(),
    status: ruleVersionStatusEnum("status").notNull(),
    proposedBy: integer("proposed_by").references(() => users.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    note: text("note"),
    decisionNote: text("decision_note"),
  },
  (t) => [
    uniqueIndex("incentive_scheme_versions_version_uq").on(t.version),
    // One in force per effective period (a newer approval supersedes it), one proposal pending at a time.
    uniqueIndex("incentive_scheme_versions_active_uq").on(t.effectiveFrom).where(sql`status = 'active'`),
    uniqueIndex("incentive_scheme_versions_pending_uq").on(t.status).where(sql`status = 'proposed'`),
  ],
);

// Months. A locked period takes no new entry (a trigger refuses it): late events land in the next open period.
export const incentivePeriods = pgTable("incentive_periods", {
  period: text("period").primaryKey(),
  status: text("status").notNull().default("open"), // 'open' | 'locked'
  lockedBy: integer("locked_by").references(() => users.id),
  lockedAt: timestamp("locked_at", { withTimezone: true }),
  createdAt: createdAt(),
});

// Append-only (triggers refuse UPDATE and DELETE): a later fact is a new entry, never an edit. One entry per
// (source, rule), so a replayed or late event never counts twice.
export const incentiveLedger = pgTable(
  "incentive_ledger",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // "task:12", "task:12:contact", "task:12:rm:5" (a retention share), "churn:7", "adjustment:3"
    sourceKey: text("source_key").notNull(),
    rule: text("rule").notNull(),
    rmId: integer("rm_id")
      .notNull()
      .references(() => users.id),
    period: text("period")
      .notNull()
      .references(() => incentivePeriods.period),
    // The business day of the fact (the period it belongs to, unless that one was locked when it arrived).
    eventOn: date("event_on").notNull(),
    schemeVersionId: integer("scheme_version_id").references(() => incentiveSchemeVersions.id),
    points: integer("points").notNull(),
    status: incentiveEntryStatusEnum("status").notNull(),
    // Evidence: the task, customer, follow-ups and churn event the points rest on.
    taskId: integer("task_id").references(() => tasks.id),
    customerId: integer("customer_id").references(() => customers.id),
    churnEventId: bigint("churn_event_id", { mode: "number" }),
    followUpIds: integer("follow_up_ids").array().notNull().default(sql`'{}'::integer[]`),
    adjustmentId: integer("adjustment_id"),
    // How the points were computed (retained balance, share of a split, the pending entry a verification pays…).
    basis: jsonb("basis").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("incentive_ledger_source_rule_uq").on(t.sourceKey, t.rule),
    // Covers HR's period review (grouped per RM, rule, status and customer, summing points): an index-only scan.
    // It leads with (period, rm_id), so it also serves what the former (period, rm_id) index did.
    index("incentive_ledger_review_idx").on(t.period, t.rmId, t.rule, t.status, t.customerId, t.points),
    index("incentive_ledger_rm_idx").on(t.rmId, t.period),
    index("incentive_ledger_task_idx").on(t.taskId).where(sql`task_id is not null`),
  ],
);

// HR adjustments: proposed by one HR user with a reason, approved (→ a ledger entry 'adjusted') by another.
export const incentiveAdjustments = pgTable(
  "incentive_adjustments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    period: text("period")
      .notNull()
      .references(() => incentivePeriods.period),
    rmId: integer("rm_id")
      .notNull()
      .references(() => users.id),
    points: integer("points").notNull(),
    reason: text("reason").notNull(),
    status: text("status").notNull().default("proposed"), // 'proposed' | 'approved' | 'rejected'
    proposedBy: integer("proposed_by")
      .notNull()
      .references(() => users.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [index("incentive_adjustments_period_idx").on(t.period, t.status)],
);

// Churn-risk scorecard versions (lib/model/registry.ts): a training run writes one row (its progress while the
// BullMQ job runs, then its scorecard and validation metrics); an admin other than the trainer activates it
// (maker-checker), and the one active version scores the portfolio.
export const modelVersions = pgTable(
  "model_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    version: integer("version").notNull(),
    // Training run: queued → running → succeeded | failed.
    status: runStatusEnum("status").notNull().default("queued"),
    progress: smallint("progress").notNull().default(0),
    stage: text("stage").notNull().default("queued"),
    // Label: which churn events (any, default, voluntary, pre_loan) within horizon_days after each as-of date.
    label: text("label").notNull(),
    horizonDays: integer("horizon_days").notNull(),
    months: integer("months").notNull(),
    seed: integer("seed").notNull(),
    // The as-of window of the snapshots (first and last month end), known once training starts.
    dataFrom: date("data_from"),
    dataTo: date("data_to"),
    // Candidate features and what selection decided for each; validation metrics; the scorecard itself.
    features: jsonb("features"),
    metrics: jsonb("metrics"),
    scorecard: jsonb("scorecard"),
    failure: text("failure"),
    trainedBy: integer("trained_by")
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    active: boolean("active").notNull().default(false),
    activatedBy: integer("activated_by").references(() => users.id),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("model_versions_version_uq").on(t.version),
    uniqueIndex("model_versions_active_uq").on(t.active).where(sql`active`),
    // One training at a time: a second request waits for the first to finish.
    uniqueIndex("model_versions_training_uq").on(t.status).where(sql`status in ('queued', 'running')`),
  ],
);

// The latest score of each loan by the active model (nightly COB and the event path): the points of every
// scorecard feature (they add up to the score) and the top three reason codes with the actual values.
export const modelScores = pgTable(
  "model_scores",
  {
    loanId: integer("loan_id")
      .primaryKey()
      .references(() => loans.id),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    modelVersionId: integer("model_version_id")
      .notNull()
      .references(() => modelVersions.id),
    asOf: date("as_of").notNull(),
    score: integer("score").notNull(),
    band: text("band").notNull(),
    points: jsonb("points").notNull(),
    reasons: jsonb("reasons").notNull(),
    scoredAt: timestamp("scored_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("model_scores_customer_idx").on(t.customerId)],
);

// Warning-quality telemetry, one row per warning / churn event / task with what its figures need (docs/telemetry.md,
// "Cost on a large portfolio"): derived from the raw tables by lib/insights/outcomes.ts, never written elsewhere. A
// period's figures are then one grouped read of the scope's rows instead of a probe per warning. No foreign keys:
// rows are replaced per customer, and a customer's deleted rows go when it is next refreshed.
export const warningOutcomes = pgTable(
  "warning_outcomes",
  {
    warningId: bigint("warning_id", { mode: "number" }).primaryKey(),
    customerId: integer("customer_id").notNull(),
    branchId: integer("branch_id"),
    rmId: integer("rm_id"),
    ruleId: integer("rule_id").notNull(),
    ruleVersionId: integer("rule_version_id").notNull(),
    stage: churnStageEnum("stage").notNull(),
    severity: severityEnum("severity").notNull(),
    openedOn: date("opened_on").notNull(),
    // The first not-dismissed churn event of the customer effective on or after the opening: of the warning's stage
    // (a hit within H when ≤ opened_on + H, for any H), and of any stage (retention).
    firstEventOn: date("first_event_on"),
    firstAnyEventOn: date("first_any_event_on"),
    // The task verdicts: a resolved task of the warning with a confirming outcome; one resolved as a false alarm.
    confirmed: boolean("confirmed").notNull(),
    rejected: boolean("rejected").notNull(),
  },
  (t) => [index("warning_outcomes_branch_opened_idx").on(t.branchId, t.openedOn), index("warning_outcomes_opened_idx").on(t.openedOn), index("warning_outcomes_customer_idx").on(t.customerId)],
);

// Per not-dismissed churn event: one row of the event itself (rule_version_id 0), and one per rule version whose
// warnings of the customer and stage opened within the longest horizon before it, with their opening days (sorted),
// so the lead from the first warning within any H ≤ 730 days is read from the row.
export const eventOutcomes = pgTable(
  "event_outcomes",
  {
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    ruleVersionId: integer("rule_version_id").notNull(),
    ruleId: integer("rule_id"),
    customerId: integer("customer_id").notNull(),
    branchId: integer("branch_id"),
    rmId: integer("rm_id"),
    stage: churnStageEnum("stage").notNull(),
    effectiveOn: date("effective_on").notNull(),
    warnedOn: date("warned_on").array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.ruleVersionId] }),
    index("event_outcomes_branch_effective_idx").on(t.branchId, t.effectiveOn),
    index("event_outcomes_effective_idx").on(t.effectiveOn),
    index("event_outcomes_customer_idx").on(t.customerId),
  ],
);

// Per task: the customer's branch next to the task's own columns, its opening day in the business zone and the
// first not-dismissed churn event of the customer from that day (retention).
export const taskOutcomes = pgTable(
  "task_outcomes",
  {
    taskId: integer("task_id").primaryKey(),
    customerId: integer("customer_id").notNull(),
    branchId: integer("branch_id"),
    assigneeId: integer("assignee_id"),
    status: taskStatusEnum("status").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    openedOn: date("opened_on").notNull(),
    firstContactAt: timestamp("first_contact_at", { withTimezone: true }),
    contactDueAt: timestamp("contact_due_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    resolveDueAt: timestamp("resolve_due_at", { withTimezone: true }),
    firstAnyEventOn: date("first_any_event_on"),
  },
  (t) => [index("task_outcomes_branch_opened_idx").on(t.branchId, t.openedAt), index("task_outcomes_opened_idx").on(t.openedAt), index("task_outcomes_customer_idx").on(t.customerId)],
);

// Customers whose warnings, tasks or churn events changed since their outcome rows were last derived (written by
// triggers of migration 0021, drained by lib/insights/outcomes.ts up to the highest id it saw). Append-only marks
// without a unique key, so a writer's trigger never waits on a refresh that is deleting an older mark.
export const insightDirty = pgTable("insight_dirty", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  customerId: integer("customer_id").notNull(),
});
