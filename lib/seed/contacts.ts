// Routine contact in the demo (定期与客户保持沟通): RMs keep in touch with their customers between tasks, so the
// contact-cadence rule ("large customer not contacted in 90 days", enabled) flags the few relationships that lapsed,
// not every customer of a portfolio without a past. Deterministic: cadence, phase and lapses come from hashes of the
// customer number, so the same seed gives the same contacts. Every customer, the ones marked churned too: their
// remaining loans still run, and their RM still calls.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { businessTz } from "../time";

/** Share of customers whose RM stopped calling ≥ 100 days before the as-of date (the rule's true positives). */
export const LAPSED_PERCENT = 2;

const NOTES = [
  "例行拜访，企业经营正常，订单稳定，近期无新增融资需求。",
  "电话回访，财务负责人表示回款正常，对我行服务满意。",
  "上门走访生产车间，开工率较高，了解下季度用款计划。",
  "电话沟通续贷安排，客户表示到期后继续在我行办理。",
  "季度例行沟通，介绍我行新的结算产品，客户表示会考虑。",
];

// The demo's history (./history.ts) starts 18 months back; the contacts reach 120 days further, so the contact-cadence
// rule sees a past of calls on its first week too.
const CONTACT_DAYS = 18 * 31 + 120;

export async function seedRoutineContacts(db: Db, asOf: string): Promise<number> {
  const notes = `{${NOTES.map((n) => `"${n}"`).join(",")}}`;
  const rows = await db.execute<{ n: number }>(sql`
    with p as (
      select c.id, c.rm_id, c.contact_person, c.onboarded_on,
             30 + abs(hashtext(c.customer_no)) % 46 as gap,
             abs(hashtext(c.customer_no || ':phase')) % 30 as phase,
             abs(hashtext(c.customer_no || ':lapsed')) % 100 < ${LAPSED_PERCENT} as lapsed
      from customers c),
    d as (
      select p.*, ${asOf}::date - p.phase - (case when p.lapsed then 100 else 0 end) - k * p.gap as day, k
      from p cross join generate_series(0, 26) k),
    ins as (
      insert into follow_ups (task_id, customer_id, author_id, type, occurred_at, contact_person, notes)
      select null, d.id, d.rm_id, (case when (d.id + d.k) % 3 = 0 then 'visit' else 'phone' end)::follow_up_type,
             (d.day + time '10:00') at time zone ${businessTz()}::text, d.contact_person,
             (${notes}::text[])[1 + (d.id + d.k) % ${NOTES.length}]
      from d where d.day >= greatest(d.onboarded_on, ${asOf}::date - ${CONTACT_DAYS}::int)
      returning 1)
    select count(*)::int as n from ins`);
  return rows[0]?.n ?? 0;
}
