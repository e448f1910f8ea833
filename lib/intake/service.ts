// Writes that arrive through /api/v1: repayments, customers, loans. Each runs inside the caller's transaction,
// checks the caller's scope (out of scope looks exactly like unknown), audits, and records the loans whose state
// must be recomputed in the outbox, in the same transaction.
import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { audit } from "../audit";
import type { Actor } from "../auth/roles";
import { inScope, scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { Tx } from "../db/client";
import { branches, customers, installments, loans, repayments, users } from "../db/schema";
import { Conflict, Invalid, NotFound, type Issue } from "../errors";
import { addMonths, buildSchedule } from "../loans/schedule";
import { emit, emitted } from "../pipeline/emit";
import type { CustomerIn, LoanIn, RepaymentIn } from "./schemas";

/** The payload of a `loans.recompute` outbox row: the loans (unique, sorted) and the business date. */
function recomputePayload(loanIds: number[], asOf: string) {
  return { loanIds: [...new Set(loanIds)].sort((a, b) => a - b), asOf };
}

export async function recordRecompute(tx: Tx, loanIds: number[], asOf: string): Promise<void> {
  if (loanIds.length) await emit(tx, "loans.recompute", recomputePayload(loanIds, asOf));
}

/**
 * A unique key (customer no., credit code, contract no.) already held by a record. Within the caller's scope the
 * conflict says which; outside it, one generic conflict that names neither the key nor the record, so a write cannot
 * be used to learn what exists in another branch (the keys are unique bank-wide, so some conflict is unavoidable).
 */
function takenBy(scope: Scope, holder: { branchId: number | null; ownerId: number | null }, reason: "customerExists" | "creditCodeTaken" | "loanExists"): Conflict {
  return new Conflict(inScope(scope, holder) ? reason : "identifierTaken");
}

export type RepaymentResult = { external_id: string; id: number; status: "created" | "duplicate" };

export async function postRepayments(tx: Tx, actor: Actor, scope: Scope, items: RepaymentIn[], asOf: string) {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    if (it.paid_on > asOf) issues.push({ field: `items.${i}.paid_on`, code: "date.afterAsOf", params: { value: it.paid_on, asOf } });
    const first = seen.get(it.external_id);
    if (first !== undefined) issues.push({ field: `items.${i}.external_id`, code: "duplicate.inBody", params: { index: first } });
    else seen.set(it.external_id, i);
  });
  if (issues.length) throw new Invalid(issues);

  const contractNos = [...new Set(items.map((i) => i.contract_no))];
  // The API's hottest path: its statements are prepared, with texts that do not depend on the batch's size (an array
  // parameter, not an IN list; one contract is an equality, whose generic plan the planner adopts after five custom
  // ones, where for `= any(…)` it keeps planning every call), so each connection plans them once.
  const found = await tx
    .select({ id: loans.id, contractNo: loans.contractNo, disbursedOn: loans.disbursedOn })
    .from(loans)
    .innerJoin(customers, eq(customers.id, loans.customerId))
    .where(and(contractNos.length === 1 ? eq(loans.contractNo, contractNos[0]!) : sql`${loans.contractNo} = any(${sql.param(contractNos)}::text[])`, scopeWhere(scope, SHAPES.customers)))
    .prepare(contractNos.length === 1 ? "repayment_loan" : "repayment_loans")
    .execute();
  const byNo = new Map(found.map((l) => [l.contractNo, l]));
  const missing = items.flatMap((it, i) => (byNo.has(it.contract_no) ? [] : [{ field: `items.${i}.contract_no`, code: "notFound", key: "ref.unknownLoan", params: { value: it.contract_no } }]));
  if (missing.length) {
    const e = new NotFound("loan");
    e.issues.push(...missing);
    throw e;
  }
  items.forEach((it, i) => {
    const loan = byNo.get(it.contract_no)!;
    if (it.paid_on < loan.disbursedOn) issues.push({ field: `items.${i}.paid_on`, code: "date.beforeDisbursement", params: { value: it.paid_on, disbursedOn: loan.disbursedOn } });
  });
  if (issues.length) throw new Invalid(issues);

  const insert = tx
    .insert(repayments)
    .values(items.map((it) => ({ loanId: byNo.get(it.contract_no)!.id, paidOn: it.paid_on, amountFen: it.amount, source: "api" as const, externalId: it.external_id })))
    .onConflictDoNothing({ target: repayments.externalId })
    .returning({ id: repayments.id, externalId: repayments.externalId, loanId: repayments.loanId });
  // One repayment per call is the common case; a batch's text depends on its size and stays unprepared (one cached
  // statement per batch size and connection would grow without bound).
  const inserted = await (items.length === 1 ? insert.prepare("repayment_insert_one").execute() : insert);
  const created = new Map(inserted.map((r) => [r.externalId, r]));
  const already = items.filter((it) => !created.has(it.external_id));
  const existing = already.length
    ? await tx.select().from(repayments).where(inArray(repayments.externalId, already.map((a) => a.external_id)))
    : [];
  const existingById = new Map(existing.map((r) => [r.externalId, r]));
  const results: RepaymentResult[] = items.map((it, i) => {
    const c = created.get(it.external_id);
    if (c) return { external_id: it.external_id, id: c.id, status: "created" };
    const prev = existingById.get(it.external_id)!;
    // The same transaction sent twice is harmless; the same id with other content is a data error upstream. A
    // repayment of a loan outside the scope is never "the same" (its loan is not in byNo): it gets this same
    // conflict, which names only the caller's own id, never the other loan.
    const same = prev.loanId === byNo.get(it.contract_no)!.id && prev.paidOn === it.paid_on && prev.amountFen === it.amount;
    if (!same) issues.push({ field: `items.${i}.external_id`, code: "conflict.externalId", key: "conflict.externalIdContent", params: { value: it.external_id } });
    return { external_id: it.external_id, id: prev.id, status: "duplicate" };
  });
  if (issues.length) {
    const e = new Conflict("externalIdReused");
    e.issues.push(...issues);
    throw e;
  }
  const touched = [...new Set(inserted.map((r) => r.loanId))].sort((a, b) => a - b);
  if (touched.length) {
    const entries = touched.map((loanId) => ({ loan_id: loanId, after: { repaymentIds: inserted.filter((r) => r.loanId === loanId).map((r) => r.id), source: "api" } }));
    // One audit row per loan and the recompute request in ONE statement: this is the API's hottest write path
    // (a statement less per repayment, and not one audit insert per loan of a bulk post).
    await tx.execute(sql`
      with a as (
        insert into audit_log (actor_id, actor_kind, action, entity, entity_id, after)
        select ${actor.userId}::int, 'user', 'repayment.create', 'loan', e.loan_id::text, e.after
        from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as e(loan_id int, after jsonb)
      )
      ${emitted("loans.recompute", sql`select ${JSON.stringify(recomputePayload(touched, asOf))}::jsonb`)}`);
  }
  return { created: inserted.length, duplicates: items.length - inserted.length, items: results };
}

export async function createCustomer(tx: Tx, actor: Actor, scope: Scope, c: CustomerIn) {
  const [rm] = await tx
    .select({ id: users.id, branchId: users.branchId })
    .from(users)
    .where(and(sql`lower(${users.username}) = ${c.rm_username}`, eq(users.role, "rm"), eq(users.active, true)));
  // An RM may only register customers for themselves, a supervisor only for RMs of their branch.
  if (!rm || !inScope(scope, { branchId: rm.branchId, ownerId: rm.id })) throw new Invalid([{ field: "rm_username", code: "ref.unknownRm", params: { value: c.rm_username } }]);
  let branchId = rm.branchId;
  if (c.branch_code) {
    const [b] = await tx.select({ id: branches.id }).from(branches).where(eq(branches.code, c.branch_code));
    // Only an admin may book a customer outside the RM's own branch.
    if (!b || (scope.kind !== "all" && b.id !== rm.branchId)) throw new Invalid([{ field: "branch_code", code: "ref.unknownBranch", params: { value: c.branch_code } }]);
    branchId = b.id;
  }
  if (branchId == null) throw new Invalid([{ field: "branch_code", code: "ref.rmNoBranch", params: { value: c.rm_username } }]);
  const [clash] = await tx
    .select({ customerNo: customers.customerNo, branchId: customers.branchId, ownerId: customers.rmId })
    .from(customers)
    .where(sql`${customers.customerNo} = ${c.customer_no} or ${customers.creditCode} = ${c.credit_code}`);
  if (clash) throw takenBy(scope, clash, clash.customerNo === c.customer_no ? "customerExists" : "creditCodeTaken");
  const values = {
    customerNo: c.customer_no,
    name: c.name,
    creditCode: c.credit_code,
    legalRep: c.legal_rep,
    registeredCapitalFen: c.registered_capital,
    industryCode: c.industry_code,
    region: c.region,
    branchId,
    rmId: rm.id,
    onboardedOn: c.onboarded_on,
    contactPerson: c.contact_person ?? null,
    contactPhone: c.contact_phone ?? null,
  };
  const [row] = await tx.insert(customers).values(values).returning({ id: customers.id });
  // The audit keeps ids and codes, not the contact data.
  await audit(tx, { kind: "user", userId: actor.userId }, { action: "customer.create", entity: "customer", entityId: row!.id, after: { customerNo: c.customer_no, branchId, rmId: rm.id } });
  return { id: row!.id, customer_no: c.customer_no };
}

export async function createLoan(tx: Tx, actor: Actor, scope: Scope, l: LoanIn, asOf: string) {
  const [cust] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.customerNo, l.customer_no), scopeWhere(scope, SHAPES.customers)));
  if (!cust) {
    const e = new NotFound("customer");
    e.issues.push({ field: "customer_no", code: "notFound", key: "ref.unknownCustomer", params: { value: l.customer_no } });
    throw e;
  }
  const [dup] = await tx
    .select({ branchId: customers.branchId, ownerId: customers.rmId })
    .from(loans)
    .innerJoin(customers, eq(customers.id, loans.customerId))
    .where(eq(loans.contractNo, l.contract_no));
  if (dup) throw takenBy(scope, dup, "loanExists");
  const maturityOn = l.maturity_on ?? addMonths(l.disbursed_on, l.term_months);
  const schedule = l.schedule
    ? l.schedule.map((s) => ({ installmentNo: s.installment_no, dueOn: s.due_on, principalDueFen: s.principal_due, interestDueFen: s.interest_due }))
    : buildSchedule({ principalFen: l.principal, annualRate: l.annual_rate, termMonths: l.term_months, method: l.method, disbursedOn: l.disbursed_on });
  const issues: Issue[] = [];
  if (maturityOn <= l.disbursed_on) issues.push({ field: "maturity_on", code: "date.beforeDisbursement", key: "date.maturityBeforeDisbursement" });
  const principalSum = schedule.reduce((s, i) => s + i.principalDueFen, 0);
  if (principalSum !== l.principal) issues.push({ field: "schedule", code: "schedule.principalMismatch", params: { sum: principalSum / 100, principal: l.principal / 100 } });
  const nos = new Set<number>();
  schedule.forEach((s, i) => {
    if (nos.has(s.installmentNo)) issues.push({ field: `schedule.${i}.installment_no`, code: "duplicate.inBody", key: "duplicate.installment", params: { value: s.installmentNo } });
    nos.add(s.installmentNo);
    if (s.dueOn <= l.disbursed_on) issues.push({ field: `schedule.${i}.due_on`, code: "date.beforeDisbursement", key: "date.dueBeforeDisbursement", params: { value: s.dueOn } });
  });
  if (issues.length) throw new Invalid(issues);
  const [row] = await tx
    .insert(loans)
    .values({
      contractNo: l.contract_no,
      customerId: cust.id,
      product: l.product,
      principalFen: l.principal,
      annualRate: l.annual_rate,
      termMonths: l.term_months,
      method: l.method,
      disbursedOn: l.disbursed_on,
      maturityOn,
    })
    .returning({ id: loans.id });
  await tx.insert(installments).values(schedule.map((s) => ({ loanId: row!.id, installmentNo: s.installmentNo, dueOn: s.dueOn, principalDueFen: s.principalDueFen, interestDueFen: s.interestDueFen })));
  await audit(tx, { kind: "user", userId: actor.userId }, { action: "loan.create", entity: "loan", entityId: row!.id, after: { contractNo: l.contract_no, customerId: cust.id, installments: schedule.length } });
  await recordRecompute(tx, [row!.id], asOf);
  return { id: row!.id, contract_no: l.contract_no, maturity_on: maturityOn, installments: schedule.length };
}
