// A small portfolio with known delinquency for the rules engine's tests: the scope fixture's three loans (12
// monthly installments from 2026-02-15), paid so that as of 2026-04-20 L1 is current, L2 is 36 days past due
// (paid the first installment only) and L3 is 64 days past due (paid nothing).
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../lib/db/client";
import { installments, loanState, loans, repayments, ruleVersions, rules } from "../lib/db/schema";
import { recomputeLoans } from "../lib/loans/recompute";
import type { RuleVersionStatus, Subject } from "../lib/vocabulary";
import { buildScopeFixture } from "./scope-fixture";

export type Scenario = { loan: Record<"L1" | "L2" | "L3", number>; customer: Record<"L1" | "L2" | "L3", number> };

/** Pays installments fromNo…upTo of a loan in full, one repayment each, on `paidOn` or else on its due date. */
export async function payInstallments(db: Db, loanId: number, fromNo: number, upTo: number, paidOn?: string): Promise<void> {
  const due = await db.select().from(installments).where(eq(installments.loanId, loanId)).orderBy(asc(installments.installmentNo));
  for (const i of due.filter((x) => x.installmentNo >= fromNo && x.installmentNo <= upTo)) {
    await db.insert(repayments).values({ loanId, paidOn: paidOn ?? i.dueOn, amountFen: i.principalDueFen + i.interestDueFen, source: "manual", externalId: `t-${loanId}-${i.installmentNo}` });
  }
}

/** Pays everything overdue on `paidOn` (principal, interest and penalty, as the engine computes them that day). */
export async function payArrears(db: Db, loanId: number, paidOn: string): Promise<void> {
  await recomputeLoans(db, [loanId], paidOn);
  const [st] = await db.select().from(loanState).where(eq(loanState.loanId, loanId));
  const amountFen = st!.overduePrincipalFen + st!.overdueInterestFen + st!.penaltyFen;
  await db.insert(repayments).values({ loanId, paidOn, amountFen, source: "manual", externalId: `t-${loanId}-arrears-${paidOn}` });
}

export async function buildRulesScenario(db: Db): Promise<Scenario> {
  await buildScopeFixture(db);
  const rows = await db.select({ id: loans.id, no: loans.contractNo, customerId: loans.customerId }).from(loans);
  const by = (no: string) => rows.find((r) => r.no === no)!;
  const s: Scenario = {
    loan: { L1: by("L1").id, L2: by("L2").id, L3: by("L3").id },
    customer: { L1: by("L1").customerId, L2: by("L2").customerId, L3: by("L3").customerId },
  };
  await payInstallments(db, s.loan.L1, 1, 3);
  await payInstallments(db, s.loan.L2, 1, 1);
  return s;
}

export async function recomputeAllAsOf(db: Db, asOf: string): Promise<void> {
  const ids = (await db.select({ id: loans.id }).from(loans)).map((r) => r.id);
  await recomputeLoans(db, ids, asOf);
}

export type RuleSpec = {
  code: string;
  subject: Subject;
  condition: unknown;
  cooldownDays?: number;
  enabled?: boolean;
  status?: RuleVersionStatus;
};

/** Inserts a rule with one version (active by default), bypassing maker-checker: test data only. */
export async function insertRule(db: Db, r: RuleSpec): Promise<{ ruleId: number; versionId: number }> {
  const [rule] = await db.insert(rules).values({ code: r.code }).returning();
  const [v] = await db
    .insert(ruleVersions)
    .values({
      ruleId: rule!.id,
      version: 1,
      nameZh: r.code,
      nameEn: r.code,
      subject: r.subject,
      condition: r.condition,
      severity: "high",
      stage: "post_loan",
      will: "involuntary",
      reasonFamily: "funding_chain",
      cooldownDays: r.cooldownDays ?? 30,
      enabled: r.enabled ?? true,
      status: r.status ?? "active",
    })
    .returning();
  return { ruleId: rule!.id, versionId: v!.id };
}

/** Open warnings as sorted "code|subject_key" strings, and a duplicate check over all of them. */
export async function openWarnings(db: Db): Promise<string[]> {
  const rows = await db.execute<{ k: string }>(sql`
    select r.code || '|' || w.subject_key as k from warnings w join rules r on r.id = w.rule_id where w.status = 'open' order by 1`);
  return rows.map((r) => r.k);
}
