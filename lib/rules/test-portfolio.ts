// A hand-made portfolio with known feature values and known rule matches as of 2026-06-30, for the rules'
// integration tests. Monthly equal-principal loans; each loan's story is in its comment.
import type { Db } from "../db/client";
import { recomputeLoans } from "../loans/recompute";
import { buildSchedule } from "../loans/schedule";

export const AS_OF = "2026-06-30";

export type Portfolio = {
  customers: { A: number; B: number; C: number; D: number };
  loans: { L1: number; L2: number; L3: number; L4: number; L5: number; L6: number; L7: number };
  applications: { AP0: number; AP1: number; AP2: number; AP3: number; AP4: number; AP5: number; AP6: number };
};

type LoanSpec = { customer: number; principalFen: number; rate: string; months: number; disbursedOn: string; applicationId?: number };

export async function buildPortfolio(db: Db): Promise<Portfolio> {
  const sql = db.$client;
  const [branch] = await sql<{ id: number }[]>`insert into branches (code, name, name_en, region) values ('HZ01', '杭州分行', 'Hangzhou', '浙江省') returning id`;
  const [rm] = await sql<{ id: number }[]>`insert into users (username, display_name, role, branch_id) values ('rm1', '客户经理', 'rm', ${branch!.id}) returning id`;
  let n = 0;
  const customer = async (industry: string, capitalFen: number) => {
    n++;
    const [c] = await sql<{ id: number }[]>`
      insert into customers (customer_no, name, credit_code, legal_rep, registered_capital_fen, industry_code, region, branch_id, rm_id, onboarded_on)
      values (${`C${n}`}, ${`测试公司${n}`}, ${`91330106MA2KXXXX${n}X`}, '张三', ${capitalFen}, ${industry}, '杭州', ${branch!.id}, ${rm!.id}, '2019-01-01')
      returning id`;
    return c!.id;
  };
  // A: large (100M CNY capital) in C36, which the watch list covers through "C3"; B, C, D: small, not watch-listed.
  const customers = { A: await customer("C36", 10_000_000_000), B: await customer("F51", 100_000_000), C: await customer("F51", 100_000_000), D: await customer("K66", 100_000_000) };
  await sql`insert into industry_watchlist (industry_code, reason, active) values ('C3', '测试', true), ('F', '停用的条目', false)`;

  const application = async (cust: number, submittedOn: string, status: string, decidedOn: string | null) => {
    const [a] = await sql<{ id: number }[]>`
      insert into applications (application_no, customer_id, product, amount_fen, submitted_on, decided_on, status)
      values (${`AP${submittedOn}-${cust}-${status}`}, ${cust}, '流动资金贷款', 50000000, ${submittedOn}, ${decidedOn}, ${status}::application_status)
      returning id`;
    return a!.id;
  };
  const applications = {
    AP0: await application(customers.A, "2026-01-05", "drawn", "2026-01-10"), // L1's own application
    AP1: await application(customers.B, "2026-06-01", "submitted", null), // B's renewal
    AP2: await application(customers.C, "2026-04-20", "approved", "2026-05-01"), // approved, never drawn: 60 days
    AP3: await application(customers.C, "2026-06-01", "withdrawn", "2026-06-20"),
    AP4: await application(customers.C, "2026-02-01", "rejected", "2026-03-01"), // rejected too long ago
    AP5: await application(customers.D, "2026-06-10", "rejected", "2026-06-25"),
    AP6: await application(customers.D, "2026-06-01", "approved", "2026-06-20"), // approved 10 days ago
  };

  const loan = async (no: string, s: LoanSpec) => {
    const terms = { principalFen: s.principalFen, annualRate: s.rate, termMonths: s.months, method: "equal_principal" as const, disbursedOn: s.disbursedOn };
    const schedule = buildSchedule(terms);
    const maturity = schedule[schedule.length - 1]!.dueOn;
    const [l] = await sql<{ id: number }[]>`
      insert into loans (contract_no, customer_id, application_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on)
      values (${no}, ${s.customer}, ${s.applicationId ?? null}, '流动资金贷款', ${s.principalFen}, ${s.rate}, ${s.months}, 'equal_principal', ${s.disbursedOn}, ${maturity})
      returning id`;
    for (const i of schedule) {
      await sql`insert into installments (loan_id, installment_no, due_on, principal_due_fen, interest_due_fen)
                values (${l!.id}, ${i.installmentNo}, ${i.dueOn}, ${i.principalDueFen}, ${i.interestDueFen})`;
    }
    const due = (k: number) => {
      const i = schedule[k - 1]!;
      return i.principalDueFen + i.interestDueFen;
    };
    const pay = async (paidOn: string, amountFen: number) => {
      await sql`insert into repayments (loan_id, paid_on, amount_fen, source, external_id)
                values (${l!.id}, ${paidOn}, ${amountFen}, 'manual', ${`${no}-${paidOn}-${amountFen}`})`;
    };
    const onTime = async (...ks: number[]) => {
      for (const k of ks) await pay(schedule[k - 1]!.dueOn, due(k));
    };
    return { id: l!.id, pay, onTime, due };
  };

  const base = { principalFen: 1_200_000, rate: "0.043500", months: 6, disbursedOn: "2026-01-15" } as const;
  // L1 (A): pays #1–#5 on time; matures 2026-07-15 with no renewal; 135 bp over the 3.00% LPR.
  const L1 = await loan("L1", { ...base, customer: customers.A, applicationId: applications.AP0 });
  await L1.onTime(1, 2, 3, 4, 5);
  // L2 (B): misses #4 (2026-05-15) and #5 (2026-06-15): 46 days past due; B has applied for a renewal.
  const L2 = await loan("L2", { ...base, customer: customers.B });
  await L2.onTime(1, 2, 3);
  // L3 (B): drawn 2026-02-15, misses #4 (2026-06-15): a first missed payment, 15 days past due.
  const L3 = await loan("L3", { ...base, customer: customers.B, disbursedOn: "2026-02-15" });
  await L3.onTime(1, 2, 3);
  // L4 (C): 12 months at 3.20% (20 bp); on time, and on 2026-05-15 pays 600,000 fen on top of #4: a large prepayment.
  const L4 = await loan("L4", { ...base, customer: customers.C, months: 12, rate: "0.032000" });
  await L4.onTime(1, 2, 3);
  await L4.pay("2026-05-15", L4.due(4) + 600_000);
  // L5 (C): 12 months; #1–#2 on time, then 50,000 fen on each of 04-15, 05-15, 06-15: three partial payments.
  const L5 = await loan("L5", { ...base, customer: customers.C, months: 12 });
  await L5.onTime(1, 2);
  for (const d of ["2026-04-15", "2026-05-15", "2026-06-15"]) await L5.pay(d, 50_000);
  // L6 (A, watch-listed): 12 months; misses #5 (2026-06-15): 15 days past due.
  const L6 = await loan("L6", { ...base, customer: customers.A, months: 12 });
  await L6.onTime(1, 2, 3, 4);
  // L7 (D): 120 months from 2019-03-01, before the first LPR fixing: no spread; never paid.
  const L7 = await loan("L7", { ...base, customer: customers.D, months: 120, disbursedOn: "2019-03-01", rate: "0.049000" });

  const loans = { L1: L1.id, L2: L2.id, L3: L3.id, L4: L4.id, L5: L5.id, L6: L6.id, L7: L7.id };
  await recomputeLoans(db, Object.values(loans), AS_OF);
  return { customers, loans, applications };
}
