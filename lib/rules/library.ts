// The built-in rule library and the LPR reference rates. Rules are installed on first start and editable through
// versions; a release that changes a built-in proposes the new definition as a version (ensureBuiltinRules).
// Together the rules cover both churn stages, both wills and all four reason families.
import { createHash } from "node:crypto";
import { asc, eq, inArray, sql } from "drizzle-orm";
import pkg from "../../package.json" with { type: "json" };
import { audit } from "../audit";
import type { DbOrTx } from "../db/client";
import { builtinRuleFingerprints, referenceRates, ruleVersions, rules } from "../db/schema";
import { parseCondition } from "./ast";
import { canonicalJson, pickDefinition, type DefinitionField, type Definition } from "./definition";
import { LPR_KINDS } from "./features";
import type { Cond } from "./operators";

export type BuiltinRule = { code: string } & Definition<Cond>;

const LARGE_CAPITAL_YUAN = 50_000_000;
const LARGE_OUTSTANDING_YUAN = 10_000_000;
const large = { any: [{ feature: "registered_capital", op: "ge", value: LARGE_CAPITAL_YUAN }, { feature: "outstanding_principal", op: "ge", value: LARGE_OUTSTANDING_YUAN }] } satisfies Cond;

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  {
    code: "first_missed_payment",
    nameZh: "首次逾期",
    nameEn: "First missed payment",
    descriptionZh: "贷款当前逾期1–30天，且近6个月仅有这一期未按期还款。",
    descriptionEn: "The loan is 1–30 days past due and this is the only installment in 6 months not paid on time.",
    subject: "loan",
    condition: { all: [{ feature: "dpd", op: "between", value: [1, 30] }, { feature: "missed_installments_6m", op: "eq", value: 1 }] },
    severity: "medium",
    stage: "post_loan",
    will: "involuntary",
    reasonFamily: "funding_chain",
    cooldownDays: 30,
    enabled: true,
  },
  {
    code: "dpd_30",
    nameZh: "逾期30天以上",
    nameEn: "30+ days past due",
    descriptionZh: "贷款逾期30–89天（逾期90天起由“客户贷款逾期90天以上”接手）。",
    descriptionEn: "The loan is 30 to 89 days past due (from 90 days on, \"Customer 90+ days past due\" takes over).",
    subject: "loan",
    // Capped below 90: a non-performing loan is the default rule's and the collections team's, and a second open
    // warning for the same fact only adds to the count an RM has to read.
    condition: { feature: "dpd", op: "between", value: [30, 89] },
    severity: "high",
    stage: "post_loan",
    will: "involuntary",
    reasonFamily: "funding_chain",
    cooldownDays: 30,
    enabled: true,
  },
  {
    code: "partial_payments_3m",
    nameZh: "近3个月多次部分还款",
    nameEn: "Repeated partial payments",
    descriptionZh: "近3个月内有两期及以上只还了一部分。",
    descriptionEn: "Two or more installments due in the last 3 months were only partly paid.",
    subject: "loan",
    condition: { feature: "partial_payments_3m", op: "ge", value: 2 },
    severity: "medium",
    stage: "post_loan",
    will: "involuntary",
    reasonFamily: "funding_chain",
    cooldownDays: 30,
    enabled: true,
  },
  {
    code: "max_dpd_90d_60",
    nameZh: "近90天逾期超过60天",
    nameEn: "60+ DPD within 90 days",
    descriptionZh: "近90天内最大逾期天数达到60天、尚未逾期90天，信用风险显著暴露，仍有挽回机会。",
    descriptionEn: "DPD reached 60 or more in the last 90 days and the loan is not yet 90 days past due: credit risk is showing, and there is still time to act.",
    subject: "loan",
    // Only before default: once a loan is 90+ days past due the default rule holds it, and without the cap every
    // defaulted loan kept this critical warning (and its task) open for as long as it stayed unpaid.
    condition: { all: [{ feature: "max_dpd_90d", op: "ge", value: 60 }, { feature: "dpd", op: "lt", value: 90 }] },
    severity: "critical",
    stage: "post_loan",
    will: "involuntary",
    reasonFamily: "credit_risk",
    cooldownDays: 60,
    enabled: true,
  },
  {
    code: "class_downgrade_30d",
    nameZh: "五级分类下调",
    nameEn: "Classification downgrade",
    descriptionZh: "近30天内贷款五级分类变差。",
    descriptionEn: "The loan's five-category classification worsened in the last 30 days.",
    subject: "loan",
    condition: { feature: "class_worsened_30d", op: "eq", value: true },
    severity: "high",
    stage: "post_loan",
    will: "involuntary",
    reasonFamily: "credit_risk",
    cooldownDays: 30,
    enabled: true,
  },
  {
    code: "watchlist_industry_dpd",
    nameZh: "关注行业出现逾期",
    nameEn: "Watch-listed industry past due",
    descriptionZh: "客户所在行业在关注名单上（政策或市场压力），且贷款已逾期。",
    descriptionEn: "The customer's industry is on the watch list (policy or market stress) and the loan is past due.",
    subject: "loan",
    condition: { all: [{ feature: "industry_watchlisted", op: "eq", value: true }, { feature: "dpd", op: "gt", value: 0 }] },
    severity: "high",
    stage: "post_loan",
    will: "involuntary",
    reasonFamily: "market_demand",
    cooldownDays: 30,
    enabled: true,
  },
  {
    code: "large_prepayment_90d",
    nameZh: "大额提前还款",
    nameEn: "Large partial prepayment",
    descriptionZh: "近90天提前归还本金达到原始本金的10%，可能已在他行转贷。",
    descriptionEn: "10% or more of the principal was prepaid in the last 90 days: likely refinancing elsewhere.",
    subject: "loan",
    // 10%, not 30%: a customer moving to a cheaper lender first repays a slice (a fifth to a half of what is left),
    // which 30% of the original principal missed four times in five; prepaying is rare enough to stay a small list.
    condition: { feature: "prepaid_share_90d", op: "ge", value: 0.1 },
    severity: "high",
    stage: "post_loan",
    will: "voluntary",
    reasonFamily: "service_competition",
    cooldownDays: 90,
    enabled: true,
  },
  {
    code: "price_sensitive_good_payer",
    nameZh: "优质客户利率偏高",
    nameEn: "Good payer priced high",
    descriptionZh: "近180天从未逾期，但贷款利率高于同期LPR 250个基点以上，易被他行以低价挖走。",
    descriptionEn: "Never past due in 180 days yet priced 250 bp or more over the LPR: price-sensitive, easy for competitors to win.",
    subject: "loan",
    // 250 bp, not 50: most corporate loans are priced 50–200 bp over the LPR, so 50 bp flagged 86% of live loans. A
    // rival can undercut a 250 bp margin by a full point and still earn one: those are the loans worth re-pricing.
    condition: { all: [{ feature: "max_dpd_180d", op: "eq", value: 0 }, { feature: "rate_spread_bp", op: "ge", value: 250 }] },
    severity: "low",
    stage: "post_loan",
    will: "voluntary",
    reasonFamily: "service_competition",
    cooldownDays: 90,
    enabled: true,
  },
  {
    code: "maturity_no_renewal",
    nameZh: "临近到期未续贷",
    nameEn: "Maturity without renewal",
    descriptionZh: "贷款60天内到期，客户尚未提交续贷申请。",
    descriptionEn: "The loan matures within 60 days and the customer has not applied for a renewal.",
    subject: "loan",
    condition: { all: [{ feature: "days_to_maturity", op: "between", value: [0, 60] }, { feature: "renewal_applied", op: "eq", value: false }] },
    severity: "medium",
    stage: "post_loan",
    will: "voluntary",
    reasonFamily: "market_demand",
    cooldownDays: 60,
    enabled: true,
  },
  {
    code: "large_customer_prepaying",
    nameZh: "大客户开始提前还款",
    nameEn: "Large customer prepaying",
    descriptionZh: "注册资本5000万元以上或贷款余额1000万元以上的客户近30天提前还本，需客户经理及时跟进服务。",
    descriptionEn: "A large customer (registered capital ≥ 50M CNY or outstanding ≥ 10M CNY) prepaid principal in the last 30 days: a service gap to follow up.",
    subject: "loan",
    condition: { all: [large, { feature: "prepaid_amount_30d", op: "gt", value: 0 }] },
    severity: "high",
    stage: "post_loan",
    will: "voluntary",
    reasonFamily: "service_competition",
    cooldownDays: 30,
    enabled: true,
  },
  {
    // Ships enabled: RMs log routine visits and calls from the customer page (outside any task), and those count as
    // contact, so the rule measures the relationship rather than the task workload (定期与客户保持沟通).
    code: "large_customer_not_contacted_90d",
    nameZh: "大客户90天未联系",
    nameEn: "Large customer not contacted in 90 days",
    descriptionZh: "大客户超过90天没有跟进或日常联系记录（从未联系的按建立关系之日起算）。客户经理可在客户页面登记日常拜访或电话。",
    descriptionEn: "No follow-up or routine contact recorded with a large customer for 90 days (never contacted: counted from onboarding). RMs log routine visits and calls on the customer page.",
    subject: "loan",
    condition: { all: [large, { feature: "days_since_last_contact", op: "ge", value: 90 }] },
    severity: "medium",
    stage: "post_loan",
    will: "voluntary",
    reasonFamily: "service_competition",
    cooldownDays: 90,
    enabled: true,
  },
  {
    code: "customer_dpd_90",
    nameZh: "客户贷款逾期90天以上",
    nameEn: "Customer 90+ days past due",
    descriptionZh: "客户名下任一存续贷款逾期90–180天（次级），仍可协商展期或重组；逾期超过180天的由资产保全部门处置。",
    descriptionEn: "One of the customer's live loans is 90 to 180 days past due (substandard): still time to restructure. Beyond 180 days the loan is with the special-assets team.",
    subject: "customer",
    // Capped at 180 days: a default that old is recovery or write-off work, not retention, and uncapped every old
    // default held an RM task open for good (about 700 of the demo's 20,000 customers).
    condition: { feature: "customer_max_dpd", op: "between", value: [90, 180] },
    severity: "critical",
    stage: "post_loan",
    will: "involuntary",
    reasonFamily: "credit_risk",
    cooldownDays: 90,
    enabled: true,
  },
  {
    code: "approved_not_drawn_30d",
    nameZh: "获批30天未提款",
    nameEn: "Approved, not drawn for 30 days",
    descriptionZh: "申请获批已满30天仍未提款，客户可能已转向他行。",
    descriptionEn: "Approved 30 or more days ago and still not drawn: the customer may have gone elsewhere.",
    subject: "application",
    condition: { feature: "approved_not_drawn_days", op: "ge", value: 30 },
    severity: "medium",
    stage: "pre_loan",
    will: "voluntary",
    reasonFamily: "service_competition",
    cooldownDays: 30,
    enabled: true,
  },
  {
    code: "application_withdrawn",
    nameZh: "客户撤回申请",
    nameEn: "Application withdrawn",
    descriptionZh: "客户在近30天内撤回了贷款申请。",
    descriptionEn: "The customer withdrew a loan application in the last 30 days.",
    subject: "application",
    condition: { all: [{ feature: "application_withdrawn", op: "eq", value: true }, { feature: "application_days_since_decision", op: "le", value: 30 }] },
    severity: "medium",
    stage: "pre_loan",
    will: "voluntary",
    reasonFamily: "service_competition",
    cooldownDays: 30,
    enabled: true,
  },
  {
    code: "application_rejected",
    nameZh: "申请被拒绝",
    nameEn: "Application rejected",
    descriptionZh: "近30天内银行拒绝了客户的贷款申请，客户可能流失。",
    descriptionEn: "The bank rejected the customer's application in the last 30 days; the customer may be lost.",
    subject: "application",
    condition: { all: [{ feature: "application_rejected", op: "eq", value: true }, { feature: "application_days_since_decision", op: "le", value: 30 }] },
    severity: "low",
    stage: "pre_loan",
    will: "involuntary",
    reasonFamily: "credit_risk",
    cooldownDays: 30,
    enabled: true,
  },
  {
    // 提高审批效率: a slow decision loses the applicant to a faster lender before any rejection or withdrawal.
    code: "application_pending_10bd",
    nameZh: "申请超10个工作日未审批",
    nameEn: "Application pending over 10 business days",
    descriptionZh: "申请提交后超过10个工作日仍未作出审批决定，客户可能转向审批更快的他行。",
    descriptionEn: "Submitted more than 10 business days ago and still undecided: the applicant may turn to a faster lender.",
    subject: "application",
    condition: { all: [{ feature: "application_status", op: "eq", value: "submitted" }, { feature: "approval_cycle_days", op: "gt", value: 10 }] },
    // Low: the decision is the credit department's, so the RM is told (weekly digest, or the customer's next task) to
    // chase it rather than given a task of its own; renewals filed months ahead kept 8% of live loans in tasks.
    severity: "low",
    stage: "pre_loan",
    will: "voluntary",
    reasonFamily: "service_competition",
    cooldownDays: 30,
    enabled: true,
  },
];

// A malformed built-in would fail every evaluation: fail at import instead.
for (const r of BUILTIN_RULES) parseCondition(r.condition, r.subject);

/** What a built-in rule's version carries: the library's definition of the rule, less its code. */
export type RuleDefinition = Omit<BuiltinRule, "code">;

/** A definition's identity: sha256 of its canonical JSON (condition AST, severity, texts, parameters…). */
export function definitionFingerprint(d: RuleDefinition): string {
  return createHash("sha256").update(canonicalJson(d)).digest("hex");
}

/** The release whose library this process ships (recorded with each delivery and named in its proposal). */
export const LIBRARY_RELEASE: string = pkg.version;
const LIBRARY_ACTOR = { kind: "system", name: "library" } as const;
const INSTALLED_NOTE = "built-in";

/** Whether a version was made by the library (installed, or proposed by a release), not by a user. */
export const versionFromLibrary = sql<boolean>`exists (select 1 from builtin_rule_fingerprints f where f.version_id = ${ruleVersions.id})`;

type DeliveredVersion = Awaited<ReturnType<typeof versionsOf>>[number];

/** The columns of a version's definition (DEFINITION_FIELDS), for selects. */
export const definitionColumns = {
  nameZh: ruleVersions.nameZh,
  nameEn: ruleVersions.nameEn,
  descriptionZh: ruleVersions.descriptionZh,
  descriptionEn: ruleVersions.descriptionEn,
  subject: ruleVersions.subject,
  condition: ruleVersions.condition,
  severity: ruleVersions.severity,
  stage: ruleVersions.stage,
  will: ruleVersions.will,
  reasonFamily: ruleVersions.reasonFamily,
  cooldownDays: ruleVersions.cooldownDays,
  enabled: ruleVersions.enabled,
} satisfies Record<DefinitionField, unknown>;

async function versionsOf(tx: DbOrTx, ruleIds: number[]) {
  return tx
    .select({
      id: ruleVersions.id,
      ruleId: ruleVersions.ruleId,
      version: ruleVersions.version,
      status: ruleVersions.status,
      proposedBy: ruleVersions.proposedBy,
      note: ruleVersions.note,
      ...definitionColumns,
      fromLibrary: versionFromLibrary,
    })
    .from(ruleVersions)
    .where(inArray(ruleVersions.ruleId, ruleIds))
    .orderBy(asc(ruleVersions.ruleId), asc(ruleVersions.version));
}

const definitionOf = (v: DeliveredVersion): RuleDefinition => ({ ...pickDefinition(v), condition: v.condition as Cond });

/** What delivering a built-in rule's library definition did. */
export type Delivery = "inserted" | "unchanged" | "matched" | "proposed" | "deferred" | "notBuiltin";

/**
 * Delivers the library's definition of one built-in rule to the install; the caller holds the rule row's lock.
 * - no version yet: inserted as version 1, active (first start);
 * - a definition the install has received before (unchanged, proposed earlier and rejected, or an older release's
 *   still running somewhere): nothing;
 * - new: proposed as the next version by the library (maker), for an admin or supervisor to approve or reject
 *   (checker), so the active version, and any edit of it, stays until someone decides; deferred while someone's
 *   proposal is pending (offered again once it is decided, or at the next start); a pending proposal of the
 *   library's own is replaced; when the active version already has the definition it is only recorded.
 */
async function deliver(tx: DbOrTx, rule: { id: number }, versions: readonly DeliveredVersion[], builtin: BuiltinRule, release: string): Promise<Delivery> {
  const { code: _code, ...definition } = builtin;
  const fingerprint = definitionFingerprint(definition);
  const receive = async (versionId: number | null) =>
    (await tx.insert(builtinRuleFingerprints).values({ ruleId: rule.id, fingerprint, versionId, release }).onConflictDoNothing().returning({ ruleId: builtinRuleFingerprints.ruleId })).length > 0;

  if (versions.length === 0) {
    const [row] = await tx
      .insert(ruleVersions)
      .values({ ...definition, ruleId: rule.id, version: 1, status: "active", proposedBy: null, decidedBy: null, decidedAt: sql`now()`, note: INSTALLED_NOTE })
      .returning({ id: ruleVersions.id });
    await receive(row!.id);
    return "inserted";
  }
  const received = new Set(
    (await tx.select({ f: builtinRuleFingerprints.fingerprint }).from(builtinRuleFingerprints).where(eq(builtinRuleFingerprints.ruleId, rule.id))).map((r) => r.f),
  );
  if (received.size === 0) {
    // Installed before deliveries were recorded: version 1, system-made, is the definition the library shipped then.
    // A rule an admin created under a code the library later took is not the library's to change.
    const first = versions.find((v) => v.version === 1);
    if (!first || first.proposedBy !== null || first.note !== INSTALLED_NOTE) return "notBuiltin";
    const was = definitionFingerprint(definitionOf(first));
    await tx.insert(builtinRuleFingerprints).values({ ruleId: rule.id, fingerprint: was, versionId: first.id, release: null }).onConflictDoNothing();
    received.add(was);
  }
  if (received.has(fingerprint)) return "unchanged";

  const pending = versions.find((v) => v.status === "proposed");
  if (pending && !pending.fromLibrary) return "deferred";
  const active = versions.find((v) => v.status === "active");
  if (active && definitionFingerprint(definitionOf(active)) === fingerprint) {
    if (!(await receive(null))) return "unchanged";
    if (pending) await supersede(tx, pending.id, fingerprint);
    await audit(tx, LIBRARY_ACTOR, { action: "rule.library_matched", entity: "rule", entityId: rule.id, after: { fingerprint, release, activeVersion: active.version } });
    return "matched";
  }
  if (pending) await supersede(tx, pending.id, fingerprint);
  const version = Math.max(...versions.map((v) => v.version)) + 1;
  const note = `built-in rule update from release ${release} (definition ${fingerprint.slice(0, 12)})`;
  const [row] = await tx
    .insert(ruleVersions)
    .values({ ...definition, ruleId: rule.id, version, status: "proposed", proposedBy: null, note })
    .returning({ id: ruleVersions.id });
  await receive(row!.id);
  await audit(tx, LIBRARY_ACTOR, { action: "rule.library_propose", entity: "rule", entityId: rule.id, after: { versionId: row!.id, version, fingerprint, release, ...definition } });
  return "proposed";
}

/** The library's own pending proposal, overtaken by a newer definition before anyone decided on it. */
async function supersede(tx: DbOrTx, versionId: number, by: string): Promise<void> {
  await tx
    .update(ruleVersions)
    .set({ status: "superseded", decidedAt: sql`now()`, note: `replaced by the library's definition ${by.slice(0, 12)}` })
    .where(eq(ruleVersions.id, versionId));
}

export type LibraryResult = { inserted: number; proposed: number; deferred: number };

/**
 * Delivers the built-in library (see deliver) on every start: idempotent, and safe with several processes starting
 * at once (the rules' rows are locked in id order for the transaction; a definition is recorded once per rule).
 * `library` and `release` are parameters for tests that play an older or a newer release.
 */
export async function ensureBuiltinRules(db: DbOrTx, library: readonly BuiltinRule[] = BUILTIN_RULES, release = LIBRARY_RELEASE): Promise<LibraryResult> {
  const result: LibraryResult = { inserted: 0, proposed: 0, deferred: 0 };
  if (library.length === 0) return result;
  return db.transaction(async (tx) => {
    const codes = library.map((r) => r.code);
    await tx
      .insert(rules)
      .values(codes.map((code) => ({ code })))
      .onConflictDoNothing({ target: rules.code });
    const ids = await tx.select({ id: rules.id, code: rules.code }).from(rules).where(inArray(rules.code, codes)).orderBy(asc(rules.id)).for("update");
    const versions = await versionsOf(
      tx,
      ids.map((r) => r.id),
    );
    for (const builtin of library) {
      const rule = ids.find((r) => r.code === builtin.code)!;
      const done = await deliver(
        tx,
        rule,
        versions.filter((v) => v.ruleId === rule.id),
        builtin,
        release,
      );
      if (done === "inserted" || done === "proposed" || done === "deferred") result[done]++;
    }
    return result;
  });
}

/**
 * After a decision on a rule's proposal, in its transaction: a library definition deferred while the proposal was
 * pending is proposed now rather than at the next start. Locks the rule's row (as the caller should have, first).
 */
export async function offerLibraryUpdate(tx: DbOrTx, ruleId: number, library: readonly BuiltinRule[] = BUILTIN_RULES, release = LIBRARY_RELEASE): Promise<Delivery | null> {
  const [rule] = await tx.select({ id: rules.id, code: rules.code }).from(rules).where(eq(rules.id, ruleId)).for("update");
  const builtin = rule && library.find((b) => b.code === rule.code);
  if (!builtin) return null;
  return deliver(tx, rule, await versionsOf(tx, [rule.id]), builtin, release);
}

/**
 * Loan Prime Rate fixings (全国银行间同业拆借中心 / PBOC), as fractions, on the dates they changed; months with no
 * change are omitted because a rate applies until the next entry. Values to 2025-05-20 as published.
 */
export const LPR_HISTORY: readonly { effectiveOn: string; oneYear: string; fiveYear: string }[] = [
  { effectiveOn: "2019-08-20", oneYear: "0.042500", fiveYear: "0.048500" },
  { effectiveOn: "2019-09-20", oneYear: "0.042000", fiveYear: "0.048500" },
  { effectiveOn: "2019-11-20", oneYear: "0.041500", fiveYear: "0.048000" },
  { effectiveOn: "2020-02-20", oneYear: "0.040500", fiveYear: "0.047500" },
  { effectiveOn: "2020-04-20", oneYear: "0.038500", fiveYear: "0.046500" },
  { effectiveOn: "2021-12-20", oneYear: "0.038000", fiveYear: "0.046500" },
  { effectiveOn: "2022-01-20", oneYear: "0.037000", fiveYear: "0.046000" },
  { effectiveOn: "2022-05-20", oneYear: "0.037000", fiveYear: "0.044500" },
  { effectiveOn: "2022-08-22", oneYear: "0.036500", fiveYear: "0.043000" },
  { effectiveOn: "2023-06-20", oneYear: "0.035500", fiveYear: "0.042000" },
  { effectiveOn: "2023-08-21", oneYear: "0.034500", fiveYear: "0.042000" },
  { effectiveOn: "2024-02-20", oneYear: "0.034500", fiveYear: "0.039500" },
  { effectiveOn: "2024-07-22", oneYear: "0.033500", fiveYear: "0.038500" },
  { effectiveOn: "2024-10-21", oneYear: "0.031000", fiveYear: "0.036000" },
  { effectiveOn: "2025-05-20", oneYear: "0.030000", fiveYear: "0.035000" },
];

/** Inserts the LPR history entries that are missing; admin edits to existing dates are kept. */
export async function ensureReferenceRates(db: DbOrTx): Promise<{ inserted: number }> {
  const rows = LPR_HISTORY.flatMap((r) => [
    { kind: LPR_KINDS.oneYear, effectiveOn: r.effectiveOn, rate: r.oneYear },
    { kind: LPR_KINDS.fiveYear, effectiveOn: r.effectiveOn, rate: r.fiveYear },
  ]);
  // Only into an empty table: once admins maintain the rates (/admin/reference), a rate they deleted stays deleted.
  const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(sql`select count(*)::int as n from reference_rates`);
  if (n > 0) return { inserted: 0 };
  const inserted = await db.insert(referenceRates).values(rows).onConflictDoNothing().returning({ id: referenceRates.id });
  return { inserted: inserted.length };
}

/** The active version of a built-in rule by code (for tests and tools). */
export async function activeBuiltinVersion(db: DbOrTx, code: string) {
  const [row] = await db
    .select({ id: ruleVersions.id, ruleId: ruleVersions.ruleId, version: ruleVersions.version })
    .from(ruleVersions)
    .innerJoin(rules, eq(rules.id, ruleVersions.ruleId))
    .where(sql`${rules.code} = ${code} and ${ruleVersions.status} = 'active'`);
  return row;
}
