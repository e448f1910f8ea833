// A past for the demo portfolio, for the telemetry tests: warnings spread over the last 14 months, tasks opened
// when their warnings were and worked in every way (contacted late or on time, resolved with each outcome,
// cancelled), follow-ups at the first contacts, and churn events of every status around the warnings — some inside
// the horizon, some after it, some of the other stage, some for customers never warned. Set-based SQL, deterministic.
import { sql } from "drizzle-orm";
import type { Db } from "../lib/db/client";

export async function craftInsightsHistory(db: Db, today: string): Promise<void> {
  const tz = "Asia/Shanghai";
  await db.execute(sql`update warnings set opened_on = ${today}::date - ((id * 37) % 420)::int`);
  // Each task opens a few hours into the day its earliest warning opened; its deadlines move with it.
  await db.execute(sql`
    with o as (
      select t.id, ((min(w.opened_on)::timestamp + make_interval(hours => 1 + t.id % 9)) at time zone ${tz}) - t.opened_at as d
      from tasks t join task_warnings tw on tw.task_id = t.id join warnings w on w.id = tw.warning_id group by t.id
    )
    update tasks t set opened_at = t.opened_at + o.d, contact_due_at = t.contact_due_at + o.d, contact_remind_at = t.contact_remind_at + o.d,
           resolve_due_at = t.resolve_due_at + o.d, resolve_remind_at = t.resolve_remind_at + o.d
    from o where o.id = t.id`);
  await db.execute(sql`
    update tasks set
      status = (case id % 8 when 1 then 'acknowledged' when 2 then 'in_progress' when 3 then 'resolved' when 4 then 'resolved'
                                when 5 then 'cancelled' when 6 then 'resolved' when 7 then 'resolved' else 'open' end)::task_status,
      first_contact_at = case when id % 8 in (2, 3, 4, 6, 7) then least(opened_at + make_interval(hours => (id * 7) % 90 + 1), now()) end,
      closed_at = case when id % 8 in (3, 4, 6, 7) then least(opened_at + make_interval(days => (id % 40) + 3), now()) when id % 8 = 5 then opened_at + interval '1 hour' end,
      outcome = (case when id % 8 = 3 then 'retained' when id % 8 = 6 then 'false_alarm' when id % 8 = 4 then 'churned' when id % 8 = 7 then
                   (array['restructured', 'recovered', 'false_alarm', 'false_alarm'])[(id / 8) % 4 + 1] end)::task_outcome,
      assignee_id = case when id % 13 = 0 then null else assignee_id end`);
  await db.execute(sql`
    insert into follow_ups (task_id, customer_id, author_id, type, occurred_at, notes)
    select t.id, t.customer_id, c.rm_id, 'phone', t.first_contact_at, '电话联系客户，了解经营和还款情况'
    from tasks t join customers c on c.id = t.customer_id where t.first_contact_at is not null`);
  // Events after a warning of the same stage: within 0–259 days of it (so some beyond a 180-day horizon), never after today.
  await db.execute(sql`
    insert into churn_events (subject_key, customer_id, stage, kind, will, reason_inferred, effective_on, detected_on, source, status)
    select 'customer:' || w.customer_id, w.customer_id, w.stage, 'other', w.will, true,
           least(w.opened_on + ((w.id * 13) % 260)::int, ${today}::date), ${today}::date, 'recorded',
           (array['detected', 'confirmed', 'dismissed', 'confirmed'])[w.customer_id % 4 + 1]::churn_event_status
    from (select distinct on (customer_id) * from warnings where customer_id % 3 <> 0 order by customer_id, id) w
    on conflict do nothing`);
  // Events of the other stage, and events of customers never warned, spread over the last 14 months.
  await db.execute(sql`
    insert into churn_events (subject_key, customer_id, stage, kind, will, reason_inferred, effective_on, detected_on, source, status)
    select 'customer:' || c.id, c.id, (case when c.id % 2 = 0 then 'pre_loan' else 'post_loan' end)::churn_stage, 'other', 'voluntary', true,
           ${today}::date - ((c.id * 11) % 420)::int, ${today}::date, 'recorded', (case when c.id % 10 = 0 then 'dismissed' else 'detected' end)::churn_event_status
    from customers c where c.id % 5 = 0
    on conflict do nothing`);
}
