// Evaluates the active warning rules for a set of loans (and their customers and applications) as of a date, and
// turns matches into warnings: set-based (per subject, ONE feature pass over the union of the features its active
// rules read, every rule's condition applied to that pass in the same statement; then three statements over all
// rules), in one transaction per call, idempotent, and safe against other workers evaluating overlapping sets.
//
// Warning lifecycle per (rule, subject):
// - matches, no open warning, no recent closed one → a new open warning + event 'opened' + outbox 'warning.opened';
// - matches, open warning → last_seen_on moved; evidence and rule version replaced, with an event 'confirmed', only
//   when the feature values or the rule version changed (the evidence keeps the as-of its values were first seen);
// - matches, no open warning, but one CLOSED on or after (asOf − cooldown_days) → that warning is re-opened (the
//   latest one; closed_on/close_reason cleared) + event 'reopened' + outbox 'warning.reopened'. So cooldown_days = 0
//   re-opens only a same-day closure, 30 re-opens anything closed in the last 30 days (inclusive);
// - open warning, subject inside the target, no match → closed (closed_on = asOf, close_reason 'condition_cleared')
//   + event 'closed' with the last evidence and the rule version that no longer matched.
// Warnings of rules that are disabled or have no active version are left as they are.
import { sql, type SQL } from "drizzle-orm";
import { executeSql, type Db } from "../db/client";
import { emitted } from "../pipeline/emit";
import { isIsoDate } from "../time";
import { SUBJECTS, type Subject, type Target } from "../vocabulary";
import { parseCondition, referencedFeatures } from "./ast";
import { buildRuleMatch } from "./compile";
import { FEATURE_PASS_SETTINGS, featureSql } from "./features";
import { activeModelWithId, isModelOutput, modelFeatureKeys, scoresSql, scoreTarget, scoreWrites } from "../model/scoring";
import { conflictBackoffMs, isWriteConflict, withRetries } from "../retry";

export type EvalResult = {
  evaluated: number;
  opened: number;
  reopened: number;
  updated: number;
  closed: number;
  /** With `score`: the loans the active churn model scored (0 without an active model). */
  scored?: number;
};

export type EvalOptions = {
  /** Only rules on these subjects (COB partitions do loans; the run's finish job does customers and applications). */
  subjects?: readonly Subject[];
  /**
   * Also score the target's live loans with the active churn model (when the loan subject is evaluated): its features
   * come from the same feature pass as the rules', and rules on risk_score / risk_band read the new scores.
   */
  score?: boolean;
};

type ActiveVersion = { id: number; rule_id: number; subject: Subject; condition: unknown };

function intArray(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new RangeError(`loan id must be an integer, got ${id}`);
  return `{${ids.join(",")}}`;
}

/** A condition on an id column for the target (loan ids, or the subject's own ids for a range). */
function loanIn(col: SQL, target: Target): SQL {
  if (target.kind === "all") return sql`true`;
  if (target.kind === "range") return sql`${col} between ${target.from} and ${target.to}`;
  return sql`${col} = any(${intArray(target.ids)}::int[])`;
}

/**
 * Which subjects of a rule on `subject` the target covers (as the compiler reads targets): matches outside it are
 * dropped, open warnings inside it may close. A "loans" target covers those loans' customers and all of those
 * customers' applications; a "range" is over the subject's own ids.
 */
function subjectIn(subject: Subject, ids: { loan: SQL; customer: SQL; application: SQL }, target: Target): SQL {
  if (target.kind === "all") return sql`true`;
  const own = subject === "loan" ? ids.loan : subject === "customer" ? ids.customer : ids.application;
  if (subject === "loan" || target.kind === "range") return loanIn(own, target);
  const customers = sql`(select l.customer_id from loans l where ${loanIn(sql`l.id`, target)})`;
  if (subject === "customer") return sql`${ids.customer} in ${customers}`;
  return sql`${ids.application} in (select ap.id from applications ap where ap.customer_id in ${customers})`;
}

/**
 * The open warnings (alias `w`) of a rule on `subject` whose subject the target covers, as subjectIn() reads targets,
 * written so an index serves each: loan ids (warnings_open_loan_idx) or customer ids (warnings_customer_idx). For a
 * "loans" target an application's warning is found by its customer: the target covers all their applications.
 */
function openInTarget(subject: Subject, target: Target): SQL {
  if (target.kind === "all") return sql`true`;
  if (target.kind === "range") return subjectIn(subject, { loan: sql`w.loan_id`, customer: sql`w.customer_id`, application: sql`w.application_id` }, target);
  if (subject === "loan") return loanIn(sql`w.loan_id`, target);
  return sql`w.customer_id in (select l.customer_id from loans l where ${loanIn(sql`l.id`, target)})`;
}

function ruleIdsOf(versions: ActiveVersion[], subject: Subject): string {
  return intArray(versions.filter((v) => v.subject === subject).map((v) => v.rule_id));
}

export async function evaluateRules(db: Db, target: Target, asOf: string, opts: EvalOptions = {}): Promise<EvalResult> {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  const subjects = opts.subjects ?? SUBJECTS;
  const score = (opts.score ?? false) && subjects.includes("loan");
  if (target.kind === "loans" && target.ids.length === 0) return { evaluated: 0, opened: 0, reopened: 0, updated: 0, closed: 0, ...(opts.score ? { scored: 0 } : {}) };

  // Event batches (a few loans, many times a second) run as prepared statements: after a few executions Postgres
  // reuses a generic plan, and planning the feature queries costs more than running them for a handful of loans.
  // Portfolio-sized targets keep per-call plans (their row counts vary too much).
  const prepare = target.kind === "loans";
  // Deadlocks and unique races between workers on overlapping sets: the whole transaction is simply retried.
  return withRetries(() => db.$client.begin((client) => evaluateInTx({ execute: <T>(s: SQL) => executeSql<T>(client, s, prepare) }, target, asOf, subjects, score)), {
    retryIf: isWriteConflict,
    delayMs: conflictBackoffMs,
  });
}

type Exec = { execute<T>(s: SQL): Promise<T[]> };
// A stored evidence's feature values. Warnings written before the features stopped carrying the as-of date have it
// inside them: dropped here, so those compare equal to today's values instead of all counting as changed once.
const features = (evidence: SQL) => sql`((${evidence} -> 'features') - 'as_of')`;
// The feature pass's planner settings live beside the catalogue (lib/model/scoring.ts runs passes too).
export { FEATURE_PASS_SETTINGS };

async function evaluateInTx(tx: Exec, target: Target, asOf: string, subjects: readonly Subject[], score: boolean): Promise<EvalResult> {
  // Setup in as few round trips as possible (an event batch runs many times a second): the feature pass's settings;
  // for event batches one generic plan per statement (index probes for the given ids suit any batch size; a custom
  // plan would re-plan the feature joins). For a range of loans (a COB partition) the feature pass is planned without
  // nested loops: with the tables in the OS cache but not in shared buffers the planner still chose an index probe per
  // installment over merging the two ordered index ranges (docs/benchmarks.md); the few probes that pass wants
  // (customer, other applications, a prepayment's payment date, recent repayments) are lateral subqueries, which stay
  // nested loops whatever this says. The active versions and the count of evaluated loans come back in the same
  // statement, and with scoring the active model's id.
  const [setup] = await tx.execute<{ n: number; versions: ActiveVersion[]; model_id: number | null }>(sql`
    select ${FEATURE_PASS_SETTINGS},
           set_config('plan_cache_mode', ${target.kind === "loans" ? "force_generic_plan" : "auto"}, true) as plan_cache,
           set_config('enable_nestloop', ${target.kind === "range" ? "off" : "on"}, true) as nestloop,
           (select count(*)::int from loans where ${loanIn(sql`id`, target)}) as n,
           coalesce((select json_agg(v order by v.rule_id) from (
             select id, rule_id, subject::text as subject, condition from rule_versions
             where status = 'active' and enabled and subject::text in (${sql.join(subjects.map((s) => sql`${s}`), sql`, `)})
           ) v), '[]'::json) as versions,
           ${score ? sql`(select id from model_versions where active)` : sql`null::int`} as model_id`);
  const evaluated = setup?.n ?? 0;
  const versions = setup?.versions ?? [];
  const model = score ? await activeModelWithId((s) => tx.execute(s), setup?.model_id ?? null) : null;
  const scoredOf = (n: number) => (score ? { scored: n } : {});
  if (versions.length === 0) {
    // No rules, but a model: the scorecard's own feature pass.
    const scored = model ? await scoreTarget((s) => tx.execute(s), model, target, asOf) : 0;
    return { evaluated, opened: 0, reopened: 0, updated: 0, closed: 0, ...scoredOf(scored) };
  }

  // Every rule's matches land in one temporary table, so each query runs once and the writes below are set-based.
  // Created once per connection: no catalog churn at event-batch rates. Portfolio-sized targets use one emptied at
  // commit; event batches one they empty themselves, because the truncation at commit invalidates the cached plans
  // of every statement that uses the table (and re-planning is what a small batch would spend its time on).
  const events = target.kind === "loans";
  const matches = sql.identifier(events ? "cw_event_matches" : "cw_rule_matches");
  // Freshly written warnings have no statistics yet: with the index a misestimated nested loop stays an index probe.
  // One DO block (one round trip) for the table and its index; the names are constants of this module.
  const table = events ? "cw_event_matches" : "cw_rule_matches";
  await tx.execute(
    sql.raw(`do $$ begin
      create temp table if not exists ${table} (
        rule_id int not null, rule_version_id int not null, subject_key text not null, customer_id int not null,
        loan_id int, application_id int, evidence jsonb not null) ${events ? "" : "on commit delete rows"};
      create index if not exists ${table}_key on ${table} (rule_id, subject_key);
    end $$`),
  );
  // Per subject, the features every active rule reads are computed in ONE pass (the aggregates over installments
  // and repayments dominate the cost), materialised once, and each rule's condition is a filter over that relation:
  // a materialised CTE needs no catalog entry per call and no statistics (it is only scanned, never joined).
  let scored = 0;
  for (const subject of subjects) {
    const rules = versions.filter((v) => v.subject === subject).map((v) => ({ v, cond: parseCondition(v.condition, subject) }));
    const scoring = model !== null && subject === "loan";
    if (rules.length === 0) {
      if (scoring) scored = await scoreTarget((s) => tx.execute(s), model, target, asOf);
      continue;
    }
    const ruleKeys = [...new Set(rules.flatMap((r) => referencedFeatures(r.cond)))];
    const q = sql.raw("q");
    const perRule = rules.map(({ v }) => {
      const match = buildRuleMatch({ subject, condition: v.condition }, asOf, sql`cw_features`);
      return sql`(select distinct on (q.subject_key) ${v.rule_id}::int, ${v.id}::int, q.subject_key, q.customer_id, q.loan_id, q.application_id,
             jsonb_build_object('ruleVersionId', ${v.id}::int, 'asOf', ${asOf}::text, 'features', q.evidence::jsonb - 'as_of')
      from (${match}) ${q}
      where ${subjectIn(subject, { loan: sql`q.loan_id`, customer: sql`q.customer_id`, application: sql`q.application_id` }, target)}
      order by q.subject_key)`;
    });
    const insertMatches = sql`insert into ${matches} ${sql.join(perRule, sql` union all `)}`;
    if (!scoring) {
      const keys = ruleKeys.sort();
      await tx.execute(sql`
        with cw_features as materialized (${featureSql(subject, target, asOf, keys)})
        ${insertMatches}`);
      continue;
    }
    // With the active model: ONE pass over the rules' and the scorecard's features; the scores and their writes in
    // the same statement. Rules on the model's outputs read the scores just computed (a statement does not see its
    // own writes, so the pass cannot read them from model_scores).
    const outputs = ruleKeys.filter(isModelOutput);
    const keys = [...new Set([...ruleKeys.filter((k) => !isModelOutput(k)), ...modelFeatureKeys(model)])].sort();
    const featureRel = outputs.length
      ? sql`cw_features as materialized (select p.*, ${sql.join(
          outputs.map((k) => sql`s.${sql.identifier(k === "risk_score" ? "score" : "band")} as ${sql.identifier(k)}`),
          sql`, `,
        )} from cw_pass p left join cw_scores s on s.loan_id = p.loan_id)`
      : sql`cw_features as not materialized (select * from cw_pass)`;
    const [r] = await tx.execute<{ scored: number }>(sql`
      with cw_pass as materialized (${featureSql(subject, target, asOf, keys)}),
      cw_scores as materialized (${scoresSql(model, sql`cw_pass`)}),
      ${scoreWrites(model, sql`cw_scores`, target, asOf)},
      ${featureRel},
      cw_matched as (${insertMatches})
      select count(*)::int as scored from cw_scores`);
    scored = r?.scored ?? 0;
  }

  // The writes below probe warnings per match: nested loops again.
  if (target.kind === "range") await tx.execute(sql`select set_config('enable_nestloop', 'on', true)`);
  // Portfolio-sized sets: give the planner real row counts for the joins below.
  if (!events) await tx.execute(sql`analyze cw_rule_matches`);

  // 1. Re-open the latest warning closed within the cooldown for subjects that match again and have none open.
  const [re] = await tx.execute<{ n: number }>(sql`
    with cand as (
      select distinct on (w.rule_id, w.subject_key) w.id, m.rule_version_id, m.evidence
      from ${matches} m
      join rule_versions v on v.id = m.rule_version_id
      join warnings w on w.rule_id = m.rule_id and w.subject_key = m.subject_key and w.status = 'closed'
       and w.closed_on >= ${asOf}::date - v.cooldown_days
      where not exists (select 1 from warnings o where o.rule_id = m.rule_id and o.subject_key = m.subject_key and o.status = 'open')
      order by w.rule_id, w.subject_key, w.closed_on desc, w.id desc
    ), up as (
      update warnings w set status = 'open', closed_on = null, close_reason = null, last_seen_on = ${asOf}::date,
        evidence = c.evidence, rule_version_id = c.rule_version_id, severity = v.severity, stage = v.stage, will = v.will,
        reason_family = v.reason_family, updated_at = now()
      from cand c join rule_versions v on v.id = c.rule_version_id
      where w.id = c.id
      returning w.id, w.evidence
    ), ev as (
      insert into warning_events (warning_id, kind, as_of, detail)
      select id, 'reopened', ${asOf}::date, jsonb_build_object('reason', 'matched_within_cooldown', 'evidence', evidence) from up
    ), ob as (
      ${emitted("warning.reopened", sql`select jsonb_build_object('warningId', id) from up`)}
    )
    select count(*)::int as n from up`);

  // 2. Insert new warnings; refresh open ones. The open warning is probed once per match (limit 1: the unique index
  // holds at most one) to tell whether its feature values or rule version moved: only then are its evidence replaced
  // and a 'confirmed' event written; a later as-of with the same values only moves last_seen_on (the evidence keeps
  // the date its values were first seen), and a re-run for the same as-of writes nothing.
  // The stored warning's rule version or feature values differ from the match's (inside the upsert's conflict arm).
  const moved = sql`(warnings.rule_version_id is distinct from excluded.rule_version_id
    or ${features(sql`warnings.evidence`)} is distinct from excluded.evidence -> 'features')`;
  const [up] = await tx.execute<{ opened: number; updated: number }>(sql`
    with m as materialized (
      select m.*, v.severity, v.stage, v.will, v.reason_family,
             o.id as open_id,
             (o.id is not null and (o.rule_version_id is distinct from m.rule_version_id or ${features(sql`o.evidence`)} is distinct from m.evidence -> 'features')) as changed
      from ${matches} m join rule_versions v on v.id = m.rule_version_id
      left join lateral (
        select w.id, w.rule_version_id, w.evidence from warnings w
        where w.rule_id = m.rule_id and w.subject_key = m.subject_key and w.status = 'open' limit 1
      ) o on true
    ), up as (
      insert into warnings (rule_id, rule_version_id, subject_key, customer_id, loan_id, application_id, status, severity, stage,
                            will, reason_family, opened_on, last_seen_on, evidence)
      select rule_id, rule_version_id, subject_key, customer_id, loan_id, application_id, 'open', severity, stage, will,
             reason_family, ${asOf}::date, ${asOf}::date, evidence
      from m order by rule_id, subject_key
      on conflict (rule_id, subject_key) where status = 'open' do update set
        rule_version_id = excluded.rule_version_id, severity = excluded.severity, stage = excluded.stage, will = excluded.will,
        reason_family = excluded.reason_family, last_seen_on = excluded.last_seen_on, updated_at = now(),
        evidence = case when ${moved} then excluded.evidence else warnings.evidence end
      -- A backdated re-run does not overwrite a later confirmation.
      where warnings.last_seen_on <= excluded.last_seen_on and (warnings.last_seen_on < excluded.last_seen_on or ${moved})
      returning id, (xmax = 0) as inserted, rule_id, subject_key, evidence
    ), ev as (
      insert into warning_events (warning_id, kind, as_of, detail)
      select up.id, case when up.inserted then 'opened' else 'confirmed' end, ${asOf}::date,
             jsonb_build_object('reason', case when up.inserted then 'condition_matched' else 'evidence_changed' end, 'evidence', up.evidence)
      from up join m on m.rule_id = up.rule_id and m.subject_key = up.subject_key
      -- open_id null but not inserted: another worker opened it after this statement's snapshot; count it as moved.
      where up.inserted or m.changed or m.open_id is null
    ), ob as (
      ${emitted("warning.opened", sql`select jsonb_build_object('warningId', id) from up where inserted`)}
    )
    select (count(*) filter (where inserted))::int as opened, (count(*) filter (where not inserted))::int as updated from up`);

  // 3. Close open warnings of the evaluated rules whose subject is in the target but no longer matches. The open
  // warnings in scope are found per subject through an index (loan ids, customer ids), one union arm each: a single
  // OR over the subjects could only be planned as a scan of every open warning.
  const scope = sql.join(
    subjects.filter((sub) => versions.some((v) => v.subject === sub)).map((sub) => sql`
      select w.id from warnings w where w.status = 'open' and w.rule_id = any(${ruleIdsOf(versions, sub)}::int[]) and ${openInTarget(sub, target)}`),
    sql` union all `,
  );
  // The scope's ids go in as an array (a probe of the primary key each): joined, with the statistics of a table just
  // written in this transaction (one row, says the planner), the whole scope was rescanned per open warning.
  const [cl] = await tx.execute<{ n: number }>(sql`
    with c as (
      update warnings w set status = 'closed', closed_on = ${asOf}::date, close_reason = 'condition_cleared', updated_at = now()
      from rule_versions v
      where w.id = any(array(${scope})) and v.rule_id = w.rule_id and v.status = 'active' and w.status = 'open' and w.last_seen_on <= ${asOf}::date
        and not exists (select 1 from ${matches} m where m.rule_id = w.rule_id and m.subject_key = w.subject_key)
      returning w.id, w.evidence, v.id as rule_version_id
    ), ev as (
      insert into warning_events (warning_id, kind, as_of, detail)
      select c.id, 'closed', ${asOf}::date,
             jsonb_build_object('reason', 'condition_cleared', 'asOf', ${asOf}::text, 'ruleVersionId', c.rule_version_id, 'lastEvidence', c.evidence)
      from c
    )
    select count(*)::int as n from c`);

  if (events) await tx.execute(sql`delete from cw_event_matches`);
  return { evaluated, opened: up?.opened ?? 0, reopened: re?.n ?? 0, updated: up?.updated ?? 0, closed: cl?.n ?? 0, ...scoredOf(scored) };
}
