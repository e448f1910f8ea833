// A small portfolio where each churn kind happens exactly once by 2026-06-30 (docs/churn.md), for the churn
// integration tests. One customer per story; monthly equal-principal loans of 1,200,000 fen at 4.35% (135 bp over
// the 3.00% 1-year LPR that ensureReferenceRates installs).
import type { Db } from "../db/client";
import { recomputeLoans } from "../loans/recompute";
import { buildSchedule } from "../loans/schedule";
import { ensureReferenceRates } from "../rules/library";

export const CHURN_AS_OF = "2026-06-30";

export type ChurnPortfolio = {
  branchId: number;
  rmId: number;
  customers: Record<"pre" | "prepaid" | "partial" | "defaulted" | "terminated" | "writtenOff" | "matured", number>;
  loans: Record<"prepaid" | "partial" | "defaulted" | "terminated" | "writtenOff" | "matured", number>;
  applications: Record<"rejected" | "withdrawn" | "notDrawn", number>;
  schedules: Record<string, { dueOn: string; principalDueFen: number; interestDueFen: number }[]>;
  /** Adds a loan (for won-back and renewal stories). */
  addLoan: (customerId: number, no: string, disbursedOn: string) => Promise<number>;
};

export async function buildChurnPortfolio(db: Db): Promise<ChurnPortfolio> {
  const sql = db.$client;
  await ensureReferenceRates(db);
  const [branch] = await sql<{ id: number }[]>`insert into branches (code, name, name_en, region) values ('CH01', '流失测试支行', 'Churn test', '浙江省') returning id`;
  const [rm] = await sql<{ id: number }[]>`insert into users (username, display_name, role, branch_id) values ('churn-rm', '客户经理', 'rm', ${branch!.id}) returning id`;
  let n = 0;
  const customer = async () => {
    n++;
    const [c] = await sql<{ id: number }[]>`
      insert into customers (customer_no, name, credit_code, legal_rep, registered_capital_fen, industry_code, region, branch_id, rm_id, onboarded_on)
      values (${`CH${n}`}, ${`流失测试公司${n}`}, ${`91330106MA2CHXXX${String(n).padStart(2, "0")}`}, '李四', 500000000, 'F51', '杭州', ${branch!.id}, ${rm!.id}, '2019-01-01')
      returning id`;
    return c!.id;
  };
  const customers = {
    pre: await customer(),
    prepaid: await customer(),
    partial: await customer(),
    defaulted: await customer(),
    terminated: await customer(),
    writtenOff: await customer(),
    matured: await customer(),
  };
  const application = async (status: string, decidedOn: string) => {
    const [a] = await sql<{ id: number }[]>`
      insert into applications (application_no, customer_id, product, amount_fen, submitted_on, decided_on, status)
      values (${`CHAP-${status}`}, ${customers.pre}, '流动资金贷款', 80000000, '2026-01-20', ${decidedOn}, ${status}::application_status) returning id`;
    return a!.id;
  };
  const applications = {
    rejected: await application("rejected", "2026-03-01"),
    withdrawn: await application("withdrawn", "2026-06-20"),
    // Approved 2026-04-01, never drawn: lost 60 days later, on 2026-05-31.
    notDrawn: await application("approved", "2026-04-01"),
  };

  const schedules: ChurnPortfolio["schedules"] = {};
  const loan = async (customerId: number, no: string, opts: { months?: number; disbursedOn?: string } = {}) => {
    const terms = { principalFen: 1_200_000, annualRate: "0.043500", termMonths: opts.months ?? 12, method: "equal_principal" as const, disbursedOn: opts.disbursedOn ?? "2026-01-15" };
    const schedule = buildSchedule(terms);
    const [l] = await sql<{ id: number }[]>`
      insert into loans (contract_no, customer_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on)
      values (${no}, ${customerId}, '流动资金贷款', ${terms.principalFen}, ${terms.annualRate}, ${terms.termMonths}, 'equal_principal', ${terms.disbursedOn}, ${schedule.at(-1)!.dueOn})
      returning id`;
    for (const i of schedule) {
      await sql`insert into installments (loan_id, installment_no, due_on, principal_due_fen, interest_due_fen)
                values (${l!.id}, ${i.installmentNo}, ${i.dueOn}, ${i.principalDueFen}, ${i.interestDueFen})`;
    }
    schedules[no] = schedule;
    const due = (k: number) => schedule[k - 1]!.principalDueFen + schedule[k - 1]!.interestDueFen;
    const pay = (paidOn: string, amountFen: number) =>
      sql`insert into repayments (loan_id, paid_on, amount_fen, source, external_id) values (${l!.id}, ${paidOn}, ${amountFen}, 'manual', ${`${no}-${paidOn}-${amountFen}`})`;
    const onTime = async (...ks: number[]) => {
      for (const k of ks) await pay(schedule[k - 1]!.dueOn, due(k));
    };
    return { id: l!.id, due, pay, onTime };
  };

  // Prepaid in full on 2026-03-20 after two installments.
  const prepaid = await loan(customers.prepaid, "CH-PREPAID");
  await prepaid.onTime(1, 2);
  await prepaid.pay("2026-03-20", 1_100_000);
  // On time, and 600,000 fen (50% of the principal) on top of #4 on 2026-05-15: a large partial prepayment.
  const partial = await loan(customers.partial, "CH-PARTIAL");
  await partial.onTime(1, 2, 3);
  await partial.pay("2026-05-15", partial.due(4) + 600_000);
  // Pays #1 only: #2 (due 2026-03-15) reaches 90 days past due on 2026-06-13.
  const defaulted = await loan(customers.defaulted, "CH-DEFAULT");
  await defaulted.onTime(1);
  // On time to #4; the bank terminates the contract on 2026-04-30 / writes it off on 2026-05-31.
  const terminated = await loan(customers.terminated, "CH-TERM");
  await terminated.onTime(1, 2, 3);
  const writtenOff = await loan(customers.writtenOff, "CH-WO");
  await writtenOff.onTime(1, 2, 3, 4);
  // Three months from 2025-12-01, paid on time: matures 2026-03-01, no renewal within 90 days (2026-05-30).
  const matured = await loan(customers.matured, "CH-MAT", { months: 3, disbursedOn: "2025-12-01" });
  await matured.onTime(1, 2, 3);

  const loans = { prepaid: prepaid.id, partial: partial.id, defaulted: defaulted.id, terminated: terminated.id, writtenOff: writtenOff.id, matured: matured.id };
  await recomputeLoans(db, Object.values(loans), CHURN_AS_OF);
  await sql`update loans set status = 'terminated', closed_on = '2026-04-30' where id = ${terminated.id}`;
  await sql`update loans set status = 'written_off', closed_on = '2026-05-31' where id = ${writtenOff.id}`;

  const addLoan = async (customerId: number, no: string, disbursedOn: string) => {
    const l = await loan(customerId, no, { disbursedOn });
    await recomputeLoans(db, [l.id], CHURN_AS_OF);
    return l.id;
  };
  return { branchId: branch!.id, rmId: rm!.id, customers, loans, applications, schedules, addLoan };
}
