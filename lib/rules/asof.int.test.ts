// The as-of mode: evaluating as of a past day reads only rows dated on or before it. Features computed as of
// 2026-05-31 are the same before and after a repayment dated 2026-06-20 is recorded and the loans recomputed to
// 2026-06-30 (which moves loan_state, installment_state and the history past that day).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { recomputeLoans } from "../loans/recompute";
import { SUBJECTS, type Subject } from "../vocabulary";
import { featureSql } from "./features";
import { ensureReferenceRates } from "./library";
import { AS_OF, buildPortfolio, type Portfolio } from "./test-portfolio";

let t: TestDb;
let p: Portfolio;
const EARLIER = "2026-05-31";

beforeAll(async () => {
  t = await freshDb();
  await ensureReferenceRates(t.db);
  p = await buildPortfolio(t.db);
});
afterAll(async () => t?.drop());

async function snapshot(subject: Subject, asOf: string): Promise<unknown[]> {
  const rows = (await t.db.execute(sql`select * from (${featureSql(subject, { kind: "all" }, asOf)}) f order by subject_key`)) as unknown as object[];
  return rows.map((r) => ({ ...r }));
}

describe("as-of evaluation", () => {
  it("a later repayment, application decision or follow-up cannot change an earlier as-of's features", async () => {
    const before = Object.fromEntries(await Promise.all(SUBJECTS.map(async (s) => [s, await snapshot(s, EARLIER)] as const)));
    // L2 (B) pays all its arrears and prepays on 2026-06-20; L1 (A) is prepaid in full on 2026-06-25; C's approved
    // application is rejected after the day; an RM records a visit to A on 2026-06-10.
    await t.db.execute(sql`insert into repayments (loan_id, paid_on, amount_fen, source, external_id) values
      (${p.loans.L2}, '2026-06-20', 900000, 'api', 'asof-L2'), (${p.loans.L1}, '2026-06-25', 300000, 'api', 'asof-L1')`);
    await recomputeLoans(t.db, Object.values(p.loans), AS_OF);
    await t.db.execute(sql`update applications set status = 'rejected', decided_on = '2026-06-15' where id = ${p.applications.AP1}`);
    await t.db.execute(sql`insert into follow_ups (customer_id, author_id, type, occurred_at, notes)
      select ${p.customers.A}, rm_id, 'visit', '2026-06-10T02:00:00Z', '例行拜访' from customers where id = ${p.customers.A}`);
    // The recompute did move the state past the day (or this test would prove nothing).
    const [l2] = await t.db.execute<{ dpd: number; as_of: string }>(sql`select dpd, as_of::text from loan_state where loan_id = ${p.loans.L2}`);
    expect(l2).toMatchObject({ as_of: AS_OF });
    expect((await snapshot("loan", AS_OF)).length).toBeGreaterThan(0);
    for (const s of SUBJECTS) expect(await snapshot(s, EARLIER), s).toEqual(before[s]);
  });
});
