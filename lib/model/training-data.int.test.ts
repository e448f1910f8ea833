// Training snapshots on the rules' crafted portfolio: the leakage guard (a snapshot as of D is the same before and
// after rows dated after D are recorded) and the label window (an event in (D, D + H] labels the customer's loans;
// one on D itself, or after D + H, or dismissed, does not).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { recomputeLoans } from "../loans/recompute";
import { ensureReferenceRates } from "../rules/library";
import { AS_OF, buildPortfolio, type Portfolio } from "../rules/test-portfolio";
import { snapshotsOf } from "./table";
import { loadTrainingData, monthlyAsOfs } from "./training-data";

let t: TestDb;
let p: Portfolio;
const D = "2026-04-30";

beforeAll(async () => {
  t = await freshDb();
  await ensureReferenceRates(t.db);
  p = await buildPortfolio(t.db);
});
afterAll(async () => t?.drop());

async function event(customerId: number, kind: string, stage: string, will: string, effectiveOn: string, status = "detected") {
  await t.db.execute(sql`insert into churn_events (subject_key, customer_id, stage, kind, will, reason_inferred, effective_on, detected_on, source, status)
    values (${`customer:${customerId}`}, ${customerId}, ${stage}::churn_stage, ${kind}::churn_kind, ${will}::churn_will, false, ${effectiveOn}, ${effectiveOn}, 'recorded', ${status}::churn_event_status)`);
}

describe("training snapshots", () => {
  it("monthly as-of dates end where the label window is complete", () => {
    expect(monthlyAsOfs("2026-12-07", 3, 90)).toEqual(["2026-06-30", "2026-07-31", "2026-08-31"]);
    expect(monthlyAsOfs("2026-03-31", 2, 30)).toEqual(["2026-01-31", "2026-02-28"]);
    expect(() => monthlyAsOfs("2026-13-01", 3, 90)).toThrow(RangeError);
  });

  it("a feature computed as of D ignores rows dated after D", async () => {
    const load = async () => snapshotsOf((await loadTrainingData(t.db, { asOfs: [D], label: "any", horizonDays: 90 })).table);
    const before = await load();
    expect(before.length).toBeGreaterThan(0);
    // After D: L2 (B) pays off its arrears, L1 (A) is prepaid, an RM visits A, a renewal of C is filed; the loans
    // are recomputed to AS_OF, which moves their state and history past D.
    await t.db.execute(sql`insert into repayments (loan_id, paid_on, amount_fen, source, external_id) values
      (${p.loans.L2}, '2026-05-20', 900000, 'api', 'leak-L2'), (${p.loans.L1}, '2026-05-25', 300000, 'api', 'leak-L1')`);
    await recomputeLoans(t.db, Object.values(p.loans), AS_OF);
    await t.db.execute(sql`insert into follow_ups (customer_id, author_id, type, occurred_at, notes)
      select ${p.customers.A}, rm_id, 'visit', '2026-05-10T02:00:00Z', '例行拜访' from customers where id = ${p.customers.A}`);
    const [ls] = await t.db.execute<{ as_of: string }>(sql`select as_of::text from loan_state where loan_id = ${p.loans.L2}`);
    expect(ls!.as_of).toBe(AS_OF);
    const after = await load();
    expect(after.map((s) => s.values)).toEqual(before.map((s) => s.values));
    // As of a day after them the rows do show: L2, paid off on 2026-05-20, is no longer a live loan.
    const now = snapshotsOf((await loadTrainingData(t.db, { asOfs: ["2026-05-31"], label: "any", horizonDays: 90 })).table);
    expect(after.some((r) => r.loanId === p.loans.L2)).toBe(true);
    expect(now.some((r) => r.loanId === p.loans.L2)).toBe(false);
  });

  it("labels a customer's loans by events in (D, D + H] of the chosen kinds", async () => {
    await event(p.customers.A, "prepaid_in_full", "post_loan", "voluntary", "2026-05-25"); // within 90 days, voluntary
    await event(p.customers.B, "default", "post_loan", "involuntary", D); // on D itself: not after
    await event(p.customers.C, "default", "post_loan", "involuntary", "2026-07-29"); // D + 90: inside
    await event(p.customers.D, "application_rejected", "pre_loan", "involuntary", "2026-07-30"); // D + 91: outside
    await event(p.customers.B, "terminated", "post_loan", "involuntary", "2026-05-10", "dismissed"); // dismissed
    const labelled = async (label: "any" | "default" | "voluntary" | "pre_loan", horizonDays = 90) => {
      const d = await loadTrainingData(t.db, { asOfs: [D], label, horizonDays });
      const owner = await t.db.execute<{ id: number; customer_id: number }>(sql`select id, customer_id from loans`);
      const byLoan = new Map(owner.map((o) => [o.id, o.customer_id]));
      return [...new Set(snapshotsOf(d.table).filter((s) => s.label === 1).map((s) => byLoan.get(s.loanId)))].sort();
    };
    expect(await labelled("any")).toEqual([p.customers.A, p.customers.C].sort());
    expect(await labelled("default")).toEqual([p.customers.C]);
    expect(await labelled("voluntary")).toEqual([p.customers.A]);
    expect(await labelled("pre_loan")).toEqual([]);
    expect(await labelled("pre_loan", 91)).toEqual([p.customers.D]);
    expect(await labelled("any", 30)).toEqual([p.customers.A]);
  });
});
