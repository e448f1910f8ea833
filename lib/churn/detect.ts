// Churn detection (docs/churn.md): derives the churn events the data shows as of a date, set-based, for a target of
// loans (an event batch, a COB partition's id range, or all) and reconciles them with the stored ones in ONE statement:
// new events are inserted, stored detected events whose amounts or inferred reason moved are amended, and stored
// detected events the data no longer shows (a backdated repayment cured the default, a corrected file changed the
// status) are removed; every amendment and removal leaves a churn_event_changes row with the row as it was and why.
// A second statement then moves the touched customers' status (churned / won back). Idempotent: a rerun on the same
// data derives the same set and writes nothing.
import { sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { FEATURE_PASS_SETTINGS } from "../rules/evaluate";
import { LPR_KINDS } from "../rules/features";
import { businessTz, isIsoDate } from "../time";
import type { Stage, Target } from "../vocabulary";
import { kindReasonSql, willSql } from "./inference";
import { loadChurnParams, type ChurnParams } from "./settings";
import { conflictBackoffMs, isWriteConflict, withRetries } from "../retry";

export type DetectResult = { inserted: number; amended: number; removed: number; churned: number; wonBack: number };
export type DetectOptions = {
  stages?: readonly Stage[];
  params?: ChurnParams;
  /** Move the touched customers' status too (default). A COB partition leaves it to the run's finish step, which sees every partition's events. */
  customerStatus?: boolean;
};

function ids(target: Extract<Target, { kind: "loans" }>): SQL {
  for (const id of target.ids) if (!Number.isSafeInteger(id)) throw new RangeError(`loan id must be an integer, got ${id}`);
  return sql`${`{${target.ids.join(",")}}`}::int[]`;
}

/** The target's loans, as a condition on a loan id column. */
function loanIn(col: SQL, target: Target): SQL {
  if (target.kind === "all") return sql`true`;
  if (target.kind === "range") return sql`${col} between ${target.from}::int and ${target.to}::int`;
  return sql`${col} = any(${ids(target)})`;
}

/** The target's applications: of the customers of the target's loans (an event batch), by id (a range), or all. */
function applicationIn(ap: SQL, customer: SQL, target: Target): SQL {
  if (target.kind === "all") return sql`true`;
  if (target.kind === "range") return sql`${ap} between ${target.from}::int and ${target.to}::int`;
  return sql`${customer} in (select tl.customer_id from loans tl where tl.id = any(${ids(target)}))`;
}

/** The target's customers (whose status may move). */
function customerIn(customer: SQL, target: Target, stages: readonly Stage[]): SQL {
  if (target.kind === "all") return sql`true`;
  if (target.kind === "loans") return sql`${customer} in (select tl.customer_id from loans tl where tl.id = any(${ids(target)}))`;
  // A range: the customers of the range's loans, and for the pre-loan pass the applicants of its applications.
  const viaLoans = sql`select tl.customer_id from loans tl where tl.id between ${target.from}::int and ${target.to}::int`;
  if (!stages.includes("pre_loan")) return sql`${customer} in (${viaLoans})`;
  return sql`${customer} in (${viaLoans} union select ta.customer_id from applications ta where ta.id between ${target.from}::int and ${target.to}::int)`;
}

const tzDate = (ts: SQL) => sql`(${ts} at time zone ${businessTz()}::text)::date`;

/**
 * The post-loan events of the target's loans as of `d`: one row per (loan, kind, effective day) with its amounts.
 * Dates come from the data, never from `d`, so a later run derives the same rows.
 */
function postLoanSql(d: SQL, p: ChurnParams, target: Target): SQL {
  const inT = loanIn(sql`l.id`, target);
  const closedOn = sql`coalesce(l.closed_on, ${tzDate(sql`l.updated_at`)})`;
  const bad = sql`h.classification in ('substandard', 'doubtful', 'loss')`;
  return sql`
    cand as (
      select l.id as loan_id, 'prepaid_in_full'::churn_kind as kind, l.closed_on as eff, null::text as trigger from loans l
        where ${inT} and l.status = 'prepaid' and l.closed_on <= ${d}
      union all
      select l.id, l.status::text::churn_kind, ${closedOn}, null from loans l
        where ${inT} and l.status in ('terminated', 'written_off') and ${closedOn} <= ${d}
      union all
      -- Matured and not renewed: no other drawdown and no live application of the customer from 120 days before
      -- maturity to N days after it closed.
      select l.id, 'matured_not_renewed', l.closed_on, null from loans l
        where ${inT} and l.status = 'matured' and l.closed_on + ${p.maturedNotRenewedDays}::int <= ${d}
          and not exists (select 1 from loans o where o.customer_id = l.customer_id and o.id <> l.id
            and o.disbursed_on between l.maturity_on - 120 and l.closed_on + ${p.maturedNotRenewedDays}::int)
          and not exists (select 1 from applications oa where oa.customer_id = l.customer_id and oa.id is distinct from l.application_id
            and oa.submitted_on between l.maturity_on - 120 and l.closed_on + ${p.maturedNotRenewedDays}::int
            and oa.status not in ('rejected', 'withdrawn'))
      union all
      -- Default: the first day DPD reached 90, the class became 次级 or worse, or the bank marked the loan defaulted.
      select loan_id, 'default', min(day), (array_agg(trigger order by day, trigger))[1] from (
        -- Only loans whose DPD can have reached 90 are read installment by installment (a COB partition read all of
        -- its ~460,000 installments with their state for a few hundred defaults): the delinquency engine writes a
        -- history row when the DPD crosses 61 (bucket M3; ../loans/delinquency.ts), so an installment still unpaid 90
        -- days after its due day left one, as long as the derived state is at most 29 days older than d. Loans
        -- without derived state, or with older state, are read in full as before.
        select i.loan_id, min(i.due_on + 90) as day, 'dpd' as trigger
          from installments i
          left join installment_state s on s.loan_id = i.loan_id and s.installment_no = i.installment_no
          where i.loan_id in (
              select h.loan_id from loan_state_history h where ${loanIn(sql`h.loan_id`, target)} and h.bucket in ('M3', 'M4+')
              union
              select l.id from loans l left join loan_state ls on ls.loan_id = l.id and ${loanIn(sql`ls.loan_id`, target)}
                where ${inT} and (ls.loan_id is null or ls.as_of < ${d} - 29))
            and i.due_on + 90 <= ${d} and (s.settled_on is null or s.settled_on > i.due_on + 90)
          group by i.loan_id
        union all
        select h.loan_id, min(h.changed_on), 'class' from loan_state_history h
          where ${loanIn(sql`h.loan_id`, target)} and ${bad} and h.changed_on <= ${d} group by h.loan_id
        union all
        select l.id, ${closedOn}, 'status' from loans l where ${inT} and l.status = 'defaulted' and ${closedOn} <= ${d}
      ) dd group by loan_id
      union all
      -- A large partial prepayment: one day's principal prepaid ahead of schedule ≥ the share of the original
      -- principal, unless that day settled the loan (then it is prepaid in full).
      select a.loan_id, 'large_partial_prepayment', r.paid_on, null
        from repayment_allocations a join repayments r on r.id = a.repayment_id join loans l on l.id = a.loan_id
        where ${loanIn(sql`a.loan_id`, target)} and ${inT} and a.component = 'prepayment' and r.paid_on <= ${d}
        group by a.loan_id, r.paid_on, l.principal_fen, l.status, l.closed_on
        having sum(a.amount_fen) >= ${p.largePrepaymentShare}::numeric * l.principal_fen
           and not (l.status = 'prepaid' and l.closed_on = r.paid_on)
    ),
    post as (
      select 'loan:' || l.id as subject_key, l.customer_id, l.id as loan_id, l.application_id, 'post_loan'::churn_stage as stage,
        c.kind, c.eff as effective_on,
        ${willSql(sql`c.kind`)} as will, ${kindReasonSql(sql`c.kind`, sql`sp.bp`, p.lprMarginBp)} as kind_reason,
        case c.kind
          when 'prepaid_in_full' then l.principal_fen - pd.principal_before
          when 'large_partial_prepayment' then pd.prepaid_on_day
          when 'matured_not_renewed' then l.principal_fen
          else l.principal_fen - pd.principal_paid end as exposure_fen,
        case when c.kind in ('default', 'terminated', 'written_off') then l.principal_fen - pd.principal_paid else 0 end as principal_lost_fen,
        case when c.kind in ('default', 'terminated', 'written_off') then greatest(sc.interest_due - pd.interest_paid, 0) else 0 end as interest_lost_fen,
        case c.kind
          when 'matured_not_renewed' then 0
          when 'large_partial_prepayment' then coalesce(round(pd.prepaid_on_day::numeric * sc.future_interest / nullif(sc.future_principal, 0))::bigint, 0)
          else sc.future_interest end as interest_forgone_fen,
        jsonb_strip_nulls(jsonb_build_object('spreadBp', sp.bp, 'trigger', c.trigger)) as evidence
      from cand c join loans l on l.id = c.loan_id and ${inT}
      -- Paid and scheduled amounts; a matured-not-renewed event uses neither (its amounts are the principal and zeros).
      cross join lateral (
        select coalesce(sum(a.amount_fen) filter (where a.component in ('principal', 'prepayment')), 0)::bigint as principal_paid,
               coalesce(sum(a.amount_fen) filter (where a.component in ('principal', 'prepayment') and r.paid_on < c.eff), 0)::bigint as principal_before,
               coalesce(sum(a.amount_fen) filter (where a.component = 'prepayment' and r.paid_on = c.eff), 0)::bigint as prepaid_on_day,
               coalesce(sum(a.amount_fen) filter (where a.component = 'interest'), 0)::bigint as interest_paid
        -- The loan's repayments up to the day (repayments_loan_paid_idx), then their allocations: half the probes of
        -- reading every allocation of the loan and looking up its repayment's day.
        from repayments r join repayment_allocations a on a.repayment_id = r.id and a.loan_id = r.loan_id
        where r.loan_id = c.loan_id and r.paid_on <= c.eff and c.kind <> 'matured_not_renewed'
      ) pd
      cross join lateral (
        select coalesce(sum(i.interest_due_fen) filter (where i.due_on <= c.eff), 0)::bigint as interest_due,
               coalesce(sum(i.interest_due_fen) filter (where i.due_on > c.eff), 0)::bigint as future_interest,
               coalesce(sum(i.principal_due_fen) filter (where i.due_on > c.eff), 0)::bigint as future_principal
        from installments i where i.loan_id = c.loan_id and c.kind <> 'matured_not_renewed'
      ) sc
      -- The contract rate over the LPR in effect on the event day (1-year; 5-year for terms over 60 months).
      left join lateral (
        select round((l.annual_rate - rr.rate) * 10000)::int as bp from reference_rates rr
        where rr.kind = case when l.term_months > 60 then ${LPR_KINDS.fiveYear} else ${LPR_KINDS.oneYear} end and rr.effective_on <= c.eff
        order by rr.effective_on desc limit 1
      ) sp on true
    )`;
}

/** The pre-loan events of the target's applications as of `d`. */
function preLoanSql(d: SQL, p: ChurnParams, target: Target): SQL {
  return sql`
    pre as (
      select 'application:' || ap.id as subject_key, ap.customer_id, null::int as loan_id, ap.id as application_id, 'pre_loan'::churn_stage as stage,
        k.kind, k.eff as effective_on,
        ${willSql(sql`k.kind`)} as will, ${kindReasonSql(sql`k.kind`, sql`null::int`, p.lprMarginBp)} as kind_reason,
        ap.amount_fen as exposure_fen, 0::bigint as principal_lost_fen, 0::bigint as interest_lost_fen, 0::bigint as interest_forgone_fen,
        '{}'::jsonb as evidence
      from applications ap
      cross join lateral (
        select case ap.status when 'rejected' then 'application_rejected' when 'withdrawn' then 'application_withdrawn' else 'approved_not_drawn' end::churn_kind as kind,
               case when ap.status in ('rejected', 'withdrawn') then ap.decided_on else ap.decided_on + ${p.approvedNotDrawnDays}::int end as eff
      ) k
      where ${applicationIn(sql`ap.id`, sql`ap.customer_id`, target)} and ap.decided_on is not null and k.eff <= ${d}
        and (ap.status in ('rejected', 'withdrawn')
          -- Approved and still undrawn on the as-of date: a late drawdown removes the event again.
          or (ap.status in ('approved', 'drawn') and not exists (select 1 from loans dl where dl.application_id = ap.id and dl.disbursed_on <= ${d})))
    )`;
}

/**
 * Detects churn events for `target` as of `asOf` and reconciles the stored ones (see the file comment). `stages`
 * limits the kinds (a COB loan partition does both, over its range of loan ids and of application ids).
 */
export async function detectChurn(db: Db, target: Target, asOf: string, opts: DetectOptions = {}): Promise<DetectResult> {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  if (target.kind === "loans" && target.ids.length === 0) return { inserted: 0, amended: 0, removed: 0, churned: 0, wonBack: 0 };
  const params = opts.params ?? (await loadChurnParams(db));
  // Deadlocks and unique races between workers on overlapping sets: the whole transaction is retried.
  return withRetries(() => db.transaction((tx) => detectInTx(tx, target, asOf, opts.stages ?? ["pre_loan", "post_loan"], params, opts.customerStatus ?? true)), {
    retryIf: isWriteConflict,
    delayMs: conflictBackoffMs,
  });
}

async function detectInTx(tx: DbOrTx, target: Target, asOf: string, stages: readonly Stage[], p: ChurnParams, withStatus: boolean): Promise<DetectResult> {
  const d = sql`${asOf}::date`;
  const post = stages.includes("post_loan");
  const pre = stages.includes("pre_loan");
  const ctes: SQL[] = [];
  const parts: SQL[] = [];
  if (post) {
    ctes.push(postLoanSql(d, p, target));
    parts.push(sql`select * from post`);
  }
  if (pre) {
    ctes.push(preLoanSql(d, p, target));
    parts.push(sql`select * from pre`);
  }
  // The stored detected events this run judges: the target's, of the stages it derives, decidable by `d` (a run for
  // an earlier day must not remove what only a later day shows).
  const judged = sql.join(
    [
      ...(post ? [sql`(e.stage = 'post_loan' and ${loanIn(sql`e.loan_id`, target)})`] : []),
      ...(pre ? [sql`(e.stage = 'pre_loan' and ${applicationIn(sql`e.application_id`, sql`e.customer_id`, target)})`] : []),
    ],
    sql` or `,
  );
  // The rules' feature-pass settings: JIT off (the lateral probes' cost estimates triggered it, and compiling took
  // 4.7 of 6.5 s over 10,000 loans), random_page_cost 1.1 (with 4.0 a COB partition hashed the whole loans and
  // applications tables to check a few hundred matured loans' renewals instead of probing their customers).
  await tx.execute(sql`select ${FEATURE_PASS_SETTINGS}`);
  const decidable = sql`(case when e.kind = 'matured_not_renewed' then e.effective_on + ${p.maturedNotRenewedDays}::int else e.effective_on end) <= ${d}`;
  const [r] = await tx.execute<{ inserted: number; amended: number; removed: number }>(sql`
    with ${sql.join(ctes, sql`, `)},
    raw as (${sql.join(parts, sql` union all `)}),
    derived as (
      -- The reason (./inference.ts, inferReason): the RM's "churned" outcome on a task resolved from evidenceDays before the event on (not
      -- inferred; it also confirms the event); else the kind's inference; else the family an RM wrote down on a
      -- worked task of the customer in that window (inferred).
      select x.*, coalesce(conf.reason_family, x.kind_reason, ev.reason_family) as reason_family,
        conf.id is null as reason_inferred, coalesce(conf.will, x.will) as final_will,
        conf.id as task_id, conf.assignee_id as confirmed_by, conf.closed_at as confirmed_at,
        x.evidence || jsonb_strip_nulls(jsonb_build_object('reasonFrom',
          case when conf.id is not null then 'task_outcome' when x.kind_reason is not null then 'kind' when ev.reason_family is not null then 'follow_up' end,
          'evidenceTaskId', case when conf.id is null and x.kind_reason is null then ev.id end)) as full_evidence
      from raw x
      left join lateral (
        select t.id, t.outcome_reason_family as reason_family, t.outcome_will as will, t.assignee_id, t.closed_at from tasks t
        where t.customer_id = x.customer_id and t.status = 'resolved' and t.outcome = 'churned' and t.outcome_reason_family is not null
          and ${tzDate(sql`t.closed_at`)} between x.effective_on - ${p.evidenceDays}::int and ${d}
        order by t.closed_at desc, t.id desc limit 1
      ) conf on true
      left join lateral (
        select t.id, coalesce(t.outcome_reason_family, t.reason_family) as reason_family from tasks t
        where t.customer_id = x.customer_id and exists (select 1 from follow_ups f where f.task_id = t.id and ${tzDate(sql`f.occurred_at`)} <= ${d})
          and ${tzDate(sql`t.opened_at`)} between x.effective_on - ${p.evidenceDays}::int and ${d}
        order by t.opened_at desc, t.id desc limit 1
      ) ev on x.kind_reason is null
    ),
    judged as (
      select e.* from churn_events e where e.source = 'detected' and (${judged}) and ${decidable}
    ),
    ins as (
      insert into churn_events (subject_key, customer_id, loan_id, application_id, stage, kind, will, reason_family, reason_inferred,
        effective_on, detected_on, exposure_fen, principal_lost_fen, interest_lost_fen, interest_forgone_fen, source, status,
        decided_by, decided_at, task_id, evidence)
      select subject_key, customer_id, loan_id, application_id, stage, kind, final_will, reason_family, reason_inferred,
        effective_on, ${d}, exposure_fen, principal_lost_fen, interest_lost_fen, interest_forgone_fen, 'detected',
        case when task_id is null then 'detected' else 'confirmed' end::churn_event_status, confirmed_by, confirmed_at, task_id, full_evidence
      from derived
      on conflict (subject_key, kind, effective_on) do nothing
      returning 1
    ),
    amend as (
      -- A person's reason (confirmed on the churn page or by a task) stays; amounts and inferences follow the data.
      update churn_events e set
        will = case when m.reason_inferred then m.new_will else e.will end,
        reason_family = case when m.reason_inferred then m.new_reason else e.reason_family end,
        reason_inferred = m.reason_inferred and m.new_inferred,
        exposure_fen = m.new_exposure, principal_lost_fen = m.new_principal_lost, interest_lost_fen = m.new_interest_lost,
        interest_forgone_fen = m.new_forgone, evidence = m.new_evidence, updated_at = now()
      from (
        select j.id, j.reason_inferred, to_jsonb(j) as before, x.final_will as new_will, x.reason_family as new_reason, x.reason_inferred as new_inferred,
          x.exposure_fen as new_exposure, x.principal_lost_fen as new_principal_lost, x.interest_lost_fen as new_interest_lost,
          x.interest_forgone_fen as new_forgone, x.full_evidence as new_evidence
        from judged j join derived x on x.subject_key = j.subject_key and x.kind = j.kind and x.effective_on = j.effective_on
        where (j.exposure_fen, j.principal_lost_fen, j.interest_lost_fen, j.interest_forgone_fen, j.evidence)
              is distinct from (x.exposure_fen, x.principal_lost_fen, x.interest_lost_fen, x.interest_forgone_fen, x.full_evidence)
           or (j.reason_inferred and (j.will, j.reason_family, x.reason_inferred) is distinct from (x.final_will, x.reason_family, true))
      ) m
      where e.id = m.id
      returning e.id, e.subject_key, e.customer_id, e.kind, m.before, to_jsonb(e) as after
    ),
    removed as (
      -- NOT IN over the derived keys (never null) is a hashed subplan; NOT EXISTS became a nested loop over both sets.
      delete from churn_events e using judged j
      where e.id = j.id and (j.subject_key, j.kind, j.effective_on) not in (select x.subject_key, x.kind, x.effective_on from derived x)
      returning e.id, e.subject_key, e.customer_id, e.kind, e.loan_id, e.application_id, e.effective_on, e.created_at, e.evidence, to_jsonb(e) as before
    ),
    changes as (
      insert into churn_event_changes (event_id, subject_key, customer_id, kind, change, reason, as_of, before, after)
      select id, subject_key, customer_id, kind, 'amended', 'data_changed', ${d}, before, after from amend
      union all
      select g.id, g.subject_key, g.customer_id, g.kind, 'removed',
        case
          -- A repayment recorded after the event was stored but dated on or before its day: the past was rewritten.
          when g.loan_id is not null and exists (select 1 from repayments r where r.loan_id = g.loan_id and r.created_at > g.created_at and r.paid_on <= g.effective_on)
            then 'backdated_repayment'
          when g.kind = 'default' then 'default_cured'
          when g.kind = 'approved_not_drawn' then 'drawn'
          when g.loan_id is not null and (select l.status::text from loans l where l.id = g.loan_id) is distinct from
               case g.kind when 'prepaid_in_full' then 'prepaid' when 'matured_not_renewed' then 'matured' when 'terminated' then 'terminated'
                 when 'written_off' then 'written_off' else (select l.status::text from loans l where l.id = g.loan_id) end
            then 'status_changed'
          else 'data_changed' end,
        ${d}, g.before, null
      from removed g
      returning 1
    )
    select (select count(*)::int from ins) as inserted, (select count(*)::int from amend) as amended, (select count(*)::int from removed) as removed,
           (select count(*)::int from changes) as changes`);
  const status = withStatus ? await updateCustomerStatus(tx, target, d, stages, p) : { churned: 0, wonBack: 0 };
  return { inserted: r?.inserted ?? 0, amended: r?.amended ?? 0, removed: r?.removed ?? 0, ...status };
}

/**
 * The customers' status (churned / won back) over the whole portfolio as of `asOf`: the COB run's finish step, which
 * runs alone after every partition, so the customers are split in two id ranges updated side by side (one backend
 * per core). Each customer's status depends only on their own rows: the halves are independent, and a half that
 * fails leaves the other correct and is redone by the step's retry.
 */
export async function updateChurnStatus(db: Db, asOf: string, params?: ChurnParams): Promise<{ churned: number; wonBack: number }> {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  const p = params ?? (await loadChurnParams(db));
  const [b] = await db.execute<{ lo: number | null; hi: number | null }>(sql`select min(id)::int as lo, max(id)::int as hi from customers`);
  if (b?.lo == null || b.hi == null) return { churned: 0, wonBack: 0 };
  const mid = Math.floor((b.lo + b.hi) / 2);
  const halves = [
    { from: b.lo, to: mid },
    { from: mid + 1, to: b.hi },
  ];
  const done = await Promise.all(
    halves.map((ids) => db.transaction((tx) => updateCustomerStatus(tx, { kind: "all" }, sql`${asOf}::date`, ["pre_loan", "post_loan"], p, ids))),
  );
  return { churned: done[0]!.churned + done[1]!.churned, wonBack: done[0]!.wonBack + done[1]!.wonBack };
}

/**
 * Churned when the last relationship has ended: at least one (not dismissed) event that ends one, and nothing live
 * left — no active loan without a default event, no application awaiting a decision, no approved application still
 * inside its drawdown window, no matured loan still inside its renewal window. A churned customer who draws a loan
 * after the day they churned is won back (status active again, won_back_on set). A customer detection had marked
 * churned whose events were removed returns to active. The seed's own "churned" (no churned_on) is left alone.
 */
async function updateCustomerStatus(
  tx: DbOrTx,
  target: Target,
  d: SQL,
  stages: readonly Stage[],
  p: ChurnParams,
  ids?: { from: number; to: number },
): Promise<{ churned: number; wonBack: number }> {
  await tx.execute(sql`select ${FEATURE_PASS_SETTINGS}`);
  const ending = sql`e.status <> 'dismissed' and e.kind <> 'large_partial_prepayment' and e.effective_on <= ${d}`;
  const inIds = (col: SQL) => (ids ? sql`${col} between ${ids.from}::int and ${ids.to}::int` : sql`true`);
  const [r] = await tx.execute<{ churned: number; wonBack: number }>(sql`
    -- Materialised: inlined, each of its subqueries ran once per mention in the update below (up to three times).
    with st as materialized (
      select c.id, c.status, c.churned_on, c.won_back_on,
        (select max(e.effective_on) from churn_events e where e.customer_id = c.id and ${ending}) as last_end,
        exists (
          select 1 from loans l where l.customer_id = c.id and l.disbursed_on <= ${d} and (
            (l.status = 'active' and not exists (select 1 from churn_events e where e.loan_id = l.id and e.kind = 'default' and ${ending}))
            or (l.status = 'matured' and l.closed_on + ${p.maturedNotRenewedDays}::int > ${d}))
        ) or exists (
          select 1 from applications ap where ap.customer_id = c.id and ap.submitted_on <= ${d} and (
            ap.status = 'submitted' or ap.decided_on > ${d}
            or (ap.status = 'approved' and ap.decided_on + ${p.approvedNotDrawnDays}::int > ${d}))
        ) as live,
        -- A loan of before the churn day live again (its default event removed): the churn is undone.
        exists (select 1 from loans l where l.customer_id = c.id and l.disbursed_on <= c.churned_on and l.status = 'active'
          and not exists (select 1 from churn_events e where e.loan_id = l.id and e.kind = 'default' and ${ending})) as live_before,
        -- Won back: churned, and a loan drawn after the day they churned.
        case when c.status = 'churned' then (select min(l.disbursed_on) from loans l where l.customer_id = c.id and l.disbursed_on > c.churned_on and l.disbursed_on <= ${d}) end as back_on
      -- Only a customer already churned or with an event that ends a relationship can change (every arm of the
      -- update below needs one or the other): the others are not looked at.
      from customers c where ${customerIn(sql`c.id`, target, stages)} and ${inIds(sql`c.id`)}
        and c.id in (select e.customer_id from churn_events e where ${ending} and ${inIds(sql`e.customer_id`)}
                     union all select cc.id from customers cc where cc.status = 'churned' and ${inIds(sql`cc.id`)})
    ),
    upd as (
      update customers c set
        status = case when s.back_on is not null or s.live_before or s.last_end is null or (s.live and c.status <> 'churned') then 'active' else 'churned' end::customer_status,
        churned_on = case when s.back_on is not null then c.churned_on when s.live_before or s.last_end is null then null when not s.live then s.last_end else c.churned_on end,
        won_back_on = coalesce(s.back_on, c.won_back_on),
        updated_at = now()
      from st s
      where c.id = s.id and (
        s.back_on is not null
        or (not s.live and s.last_end is not null and (c.status <> 'churned' or c.churned_on is distinct from s.last_end))
        -- detection's churn undone (its events removed, or a relationship live again)
        or (c.status = 'churned' and c.churned_on is not null and (s.live_before or s.last_end is null))
      )
      returning c.status::text as status, s.back_on
    )
    select count(*) filter (where status = 'churned')::int as churned, count(*) filter (where back_on is not null)::int as "wonBack" from upd`);
  return { churned: r?.churned ?? 0, wonBack: r?.wonBack ?? 0 };
}
