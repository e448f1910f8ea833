// The demo's ledger after seeding: non-empty, every entry justified by independent SQL over the loaded facts,
// periods before last month locked, and a second backfill adding nothing.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { detectChurn } from "../churn/detect";
import { seedDemo } from "../seed/load";
import { backfillIncentives } from "./backfill";

const OPTS = { customers: 300, seed: 42, asOf: "2026-12-07" };
let t: TestDb;

beforeAll(async () => {
  t = await freshDb();
  // The loaded portfolio without its 18-month history (lib/seed/history.ts; too slow for this test): its churn events
  // as of the demo date, then the backfill the demo runs after its history.
  await seedDemo(t.db, OPTS);
  await detectChurn(t.db, { kind: "all" }, OPTS.asOf);
  // The demo's RMs call every customer routinely; for a third of the churned customers, say they never did, so the
  // "churn without follow-up" rule has cases to find.
  await t.db.execute(sql`delete from follow_ups where task_id is null and customer_id in (select customer_id from churn_events where customer_id % 3 = 0)`);
  await backfillIncentives(t.db, OPTS.asOf);
}, 300_000);
afterAll(() => t.drop());

const q = <T>(query: ReturnType<typeof sql>) => t.db.execute(query) as unknown as Promise<T[]>;

describe("backfillIncentives", () => {
  it("fills the ledger from the demo's churn events as independent SQL says", async () => {
    // Churn without follow-up, independently: events of the default kinds, not dismissed, detected by the demo date,
    // with no follow-up on the customer in the 90 days up to the effective day; −8 to the customer's RM.
    const expected = await q<{ rm_id: number; n: number; points: number }>(sql`
      select c.rm_id, count(*)::int as n, (count(*) * -8)::int as points
      from churn_events ce join customers c on c.id = ce.customer_id
      where ce.status <> 'dismissed' and ce.detected_on <= ${OPTS.asOf}
        and ce.kind in ('prepaid_in_full', 'matured_not_renewed', 'approved_not_drawn', 'default', 'terminated')
        and not exists (select 1 from follow_ups f where f.customer_id = ce.customer_id
          and (f.occurred_at at time zone 'Asia/Shanghai')::date between ce.effective_on - 90 and ce.effective_on)
      group by c.rm_id order by c.rm_id`);
    const got = await q<{ rm_id: number; n: number; points: number }>(sql`
      select rm_id, count(*)::int as n, sum(points)::int as points from incentive_ledger where rule = 'churn_no_followup' group by rm_id order by rm_id`);
    expect(expected.length).toBeGreaterThan(0);
    expect(got).toEqual(expected);
    // Each entry sits in its own month (nothing was locked when the backfill appended it).
    const misplaced = await q(sql`select 1 from incentive_ledger l where l.period <> to_char(l.event_on, 'YYYY-MM')`);
    expect(misplaced).toEqual([]);
  });

  it("locks the periods before last month and adds nothing on a second run", async () => {
    const periods = await q<{ period: string; status: string }>(sql`select period, status from incentive_periods order by period`);
    for (const p of periods) expect(p.status, p.period).toBe(p.period < "2026-11" ? "locked" : "open");
    const before = await q<{ n: number }>(sql`select count(*)::int as n from incentive_ledger`);
    const again = await backfillIncentives(t.db, OPTS.asOf);
    expect(again).toMatchObject({ inserted: 0, locked: 0 });
    expect(await q<{ n: number }>(sql`select count(*)::int as n from incentive_ledger`)).toEqual(before);
  });
});
