// Detection on a demo portfolio against the definitions computed the long way, independently of lib/churn/detect.ts:
// its DPD shortcut (only loans with a history row in bucket M3 or worse are read installment by installment) must not
// lose a default, and the COB's slices (post-loan kinds per loan range, pre-loan kinds per the same range of
// application ids, customer status at the end) must find what one whole-portfolio run finds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { seedDemo } from "../seed/load";
import { businessTz } from "../time";
import { detectChurn, updateChurnStatus } from "./detect";

const AS_OF = "2026-06-30";
let t: TestDb;

beforeAll(async () => {
  t = await freshDb();
  // The loaded portfolio without its history (the history detects week by week): one whole-portfolio detection as of
  // its date, which the slices below must agree with.
  await seedDemo(t.db, { customers: 600, seed: 11, asOf: AS_OF });
  await detectChurn(t.db, { kind: "all" }, AS_OF);
}, 240_000);
afterAll(async () => t?.drop());

/** Loans with an installment still unpaid 90 days after its due day, by `d`, read over every installment. */
const unpaid90 = (d: string) => t.db.$client<{ loan_id: number; day: string }[]>`
  select i.loan_id::int, min(i.due_on + 90)::text as day from installments i
  left join installment_state s on s.loan_id = i.loan_id and s.installment_no = i.installment_no
  where i.due_on + 90 <= ${d}::date and (s.settled_on is null or s.settled_on > i.due_on + 90)
  group by i.loan_id order by i.loan_id`;

describe("churn detection on a demo portfolio", () => {
  it("every loan with an installment unpaid 90 days past due has the M3-or-worse history row the shortcut reads", async () => {
    for (const d of [AS_OF, "2026-07-29"]) {
      const loans = await unpaid90(d);
      expect(loans.length, d).toBeGreaterThan(10);
      const missing = await t.db.$client<{ loan_id: number }[]>`
        select l from unnest(${loans.map((l) => l.loan_id)}::int[]) l
        where not exists (select 1 from loan_state_history h where h.loan_id = l and h.bucket in ('M3', 'M4+'))`;
      expect(missing, d).toEqual([]);
    }
  });

  it("stores one default per loan on the first day of DPD 90, class 次级 or worse, or status defaulted", async () => {
    const dpd = new Map((await unpaid90(AS_OF)).map((r) => [r.loan_id, r.day]));
    const other = await t.db.$client<{ loan_id: number; day: string }[]>`
      select loan_id::int, min(day)::text as day from (
        select loan_id, min(changed_on) as day from loan_state_history
          where classification in ('substandard', 'doubtful', 'loss') and changed_on <= ${AS_OF}::date group by loan_id
        union all
        select id, coalesce(closed_on, (updated_at at time zone ${businessTz()}::text)::date) from loans where status = 'defaulted'
      ) x where day <= ${AS_OF}::date group by loan_id`;
    const expected = new Map(dpd);
    for (const r of other) expected.set(r.loan_id, !expected.has(r.loan_id) || r.day < expected.get(r.loan_id)! ? r.day : expected.get(r.loan_id)!);
    const stored = await t.db.$client<{ loan_id: number; day: string }[]>`
      select loan_id::int, effective_on::text as day from churn_events where kind = 'default' order by loan_id`;
    expect(dpd.size).toBeGreaterThan(10);
    expect(new Map(stored.map((r) => [r.loan_id, r.day]))).toEqual(expected);
    expect(stored.length).toBe(expected.size);
  });

  it("the COB's slices add, amend and remove nothing after a whole-portfolio run", async () => {
    const before = await t.db.$client`select * from churn_events order by id`;
    const [row] = await t.db.$client<{ hi: number }[]>`select max(id)::int as hi from loans`;
    const hi = row!.hi;
    // Three ranges as a COB with partitions of a third of the portfolio would cut them.
    const cut = [1, Math.floor(hi / 3), Math.floor((2 * hi) / 3), 2_147_483_647];
    for (let k = 0; k < 3; k++) {
      const r = await detectChurn(t.db, { kind: "range", from: cut[k]! + (k ? 1 : 0), to: cut[k + 1]! }, AS_OF, { stages: ["post_loan", "pre_loan"], customerStatus: false });
      expect(r).toMatchObject({ inserted: 0, amended: 0, removed: 0 });
    }
    expect(await updateChurnStatus(t.db, AS_OF)).toEqual({ churned: 0, wonBack: 0 });
    expect(await t.db.$client`select * from churn_events order by id`).toEqual(before);
  });
});
