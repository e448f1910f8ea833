// Writes the delinquency engine's results: installment_state, repayment_allocations, loan_state and
// loan_state_history, set-based for a batch of loans. Only the rows that changed are rewritten (per loan and table),
// so a rerun on the same inputs writes nothing. Not "server-only": the seed script imports it under plain Node.
import { createHash } from "node:crypto";
import type postgres from "postgres";
import type { z } from "zod";
import type { Db } from "../db/client";
import type { loanStatusEnum } from "../db/schema";
import { isIsoDate } from "../time";
import {
  allocationOrderSchema,
  classificationThresholdsSchema,
  computeDelinquency,
  DEFAULT_DELINQUENCY_CONFIG,
  penaltyConfigSchema,
  type DelinquencyConfig,
  type DelinquencyResult,
  type StateSnapshot,
} from "./delinquency";

type LoanStatus = (typeof loanStatusEnum)["enumValues"][number];

export const DELINQUENCY_SETTINGS = {
  classification: "delinquency.classification",
  allocationOrder: "delinquency.allocationOrder",
  penalty: "delinquency.penalty",
} as const;

/** The engine's configuration from the settings table; a missing key takes its default, an invalid one throws. */
export async function loadDelinquencyConfig(db: Db): Promise<DelinquencyConfig> {
  return readDelinquencyConfig(db.$client);
}

async function readDelinquencyConfig(client: postgres.Sql | postgres.TransactionSql): Promise<DelinquencyConfig> {
  const rows = await client<{ key: string; value: unknown }[]>`
    select key, value from settings where key = any(${Object.values(DELINQUENCY_SETTINGS)}::text[])`;
  const value = new Map(rows.map((r) => [r.key, r.value]));
  const read = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    if (!value.has(key)) return fallback;
    const parsed = schema.safeParse(value.get(key));
    if (!parsed.success) throw new Error(`setting ${key} is invalid: ${parsed.error.message}`);
    return parsed.data;
  };
  return {
    classification: read(DELINQUENCY_SETTINGS.classification, classificationThresholdsSchema, DEFAULT_DELINQUENCY_CONFIG.classification),
    allocationOrder: read(DELINQUENCY_SETTINGS.allocationOrder, allocationOrderSchema, DEFAULT_DELINQUENCY_CONFIG.allocationOrder),
    penalty: read(DELINQUENCY_SETTINGS.penalty, penaltyConfigSchema, DEFAULT_DELINQUENCY_CONFIG.penalty),
  };
}

export type RecomputeResult = { loans: number; changed: number };
/** With `claim`: the loans.changed row was written already dispatched, for the caller to evaluate and confirm. */
export type ClaimedChange = { outboxId: number; loanIds: number[] };

// Statuses the engine derives; defaulted, written off and terminated are the bank's decisions and stay as set.
const DERIVED_STATUSES: ReadonlySet<LoanStatus> = new Set(["active", "matured", "prepaid"]);
// Rows per INSERT … SELECT FROM unnest(…): bounded statements whatever the batch size.
const INSERT_CHUNK = 50_000;

type LoanRow = { id: number; principal_fen: number; annual_rate: string; disbursed_on: string; maturity_on: string; status: LoanStatus; closed_on: string | null };
type InstallmentRow = { loan_id: number; installment_no: number; due_on: string; principal_due_fen: number; interest_due_fen: number };
type RepaymentRow = { loan_id: number; id: number; paid_on: string; amount_fen: number; external_id: string };
type Fingerprint = { loan_id: number; fp: string };

// A stored row set and a computed one are compared through the md5 of one text rendering, built identically in
// SQL (below) and here: the comparison costs one short string per loan and table, not the rows themselves.
const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const opt = (v: string | null) => v ?? "";
const snap = (s: StateSnapshot) => `${s.dpd},${s.bucket},${s.classification},${s.settled}`;

// loan_state's columns after loan_id and as_of, in table order: one list for what is written and what is
// fingerprinted, so the two cannot drift apart.
function stateValues(s: DelinquencyResult["state"]) {
  return [
    s.outstandingPrincipalFen,
    s.overduePrincipalFen,
    s.overdueInterestFen,
    s.penaltyFen,
    s.paidPrincipalFen,
    s.paidInterestFen,
    s.paidPenaltyFen,
    s.prepaidPrincipalFen,
    s.dpd,
    s.bucket,
    s.classification,
    s.settled,
    s.settledOn,
    s.nextDueOn,
    s.lastPaidOn,
  ];
}

function fingerprints(r: DelinquencyResult): [state: string, installments: string | undefined, allocations: string | undefined, history: string | undefined] {
  const state = stateValues(r.state)
    .map((v) => (v === null ? "" : typeof v === "boolean" ? Number(v) : v))
    .join("|");
  const inst = r.installments.map((i) => `${i.installmentNo},${i.paidPrincipalFen},${i.paidInterestFen},${i.paidPenaltyFen},${i.penaltyAccruedFen},${opt(i.settledOn)}`);
  const alloc = [...r.allocations]
    .sort((a, b) => a.repaymentId - b.repaymentId || a.installmentNo - b.installmentNo || (a.component < b.component ? -1 : a.component > b.component ? 1 : 0))
    .map((a) => `${a.repaymentId},${a.installmentNo},${a.component},${a.amountFen}`);
  const hist = r.history.map((h, k) => `${k + 1},${h.changedOn},${h.cause},${h.dpd},${h.bucket},${h.classification},${snap(h.before)},${snap(h.after)}`);
  const joined = (xs: string[]) => (xs.length ? md5(xs.join(";")) : undefined);
  return [md5(state), joined(inst), joined(alloc), joined(hist)];
}

async function storedFingerprints(sql: postgres.TransactionSql, ids: number[]): Promise<Map<number, string | undefined>[]> {
  const [state, inst, alloc, hist] = await Promise.all([
    sql<Fingerprint[]>`
      select loan_id, md5(concat_ws('|', outstanding_principal_fen, overdue_principal_fen, overdue_interest_fen, penalty_fen,
        paid_principal_fen, paid_interest_fen, paid_penalty_fen, prepaid_principal_fen, dpd, bucket, classification,
        case when settled then 1 else 0 end, coalesce(settled_on::text, ''), coalesce(next_due_on::text, ''),
        coalesce(last_paid_on::text, ''))) as fp
      from loan_state where loan_id = any(${ids}::int[])`,
    sql<Fingerprint[]>`
      select loan_id, md5(string_agg(concat_ws(',', installment_no, paid_principal_fen, paid_interest_fen, paid_penalty_fen,
        penalty_accrued_fen, coalesce(settled_on::text, '')), ';' order by installment_no)) as fp
      from installment_state where loan_id = any(${ids}::int[]) group by loan_id`,
    sql<Fingerprint[]>`
      select loan_id, md5(string_agg(concat_ws(',', repayment_id, installment_no, component, amount_fen), ';'
        order by repayment_id, installment_no, component collate "C")) as fp
      from repayment_allocations where loan_id = any(${ids}::int[]) group by loan_id`,
    sql<Fingerprint[]>`
      select loan_id, md5(string_agg(concat_ws(',', seq, changed_on, cause, dpd, bucket, classification,
        before->>'dpd', before->>'bucket', before->>'classification', before->>'settled',
        after->>'dpd', after->>'bucket', after->>'classification', after->>'settled'), ';' order by seq)) as fp
      from loan_state_history where loan_id = any(${ids}::int[]) group by loan_id`,
  ]);
  return [state, inst, alloc, hist].map((rows) => new Map(rows.map((r) => [r.loan_id, r.fp])));
}

// Dates and booleans travel as text[] and are cast in SQL: the client (as drizzle configures it) cannot serialise
// date[] or bool[] parameters.
type Column = { name: string; type: string; values: unknown[] };

// Table, column and type names are constants of this module, never input.
/** The columns as one row set of typed array parameters, numbered from `$first`. */
const unnestOf = (columns: readonly Column[], first: number) => `unnest(${columns.map((c, i) => `$${i + first}::${c.type}`).join(", ")})`;

async function insertColumns(sql: postgres.TransactionSql, table: string, columns: readonly Column[]): Promise<void> {
  const rows = columns[0]?.values.length ?? 0;
  const text = `insert into ${table} (${columns.map((c) => c.name).join(", ")}) select * from ${unnestOf(columns, 1)}`;
  for (let from = 0; from < rows; from += INSERT_CHUNK) {
    await sql.unsafe(text, columns.map((c) => c.values.slice(from, from + INSERT_CHUNK)) as never);
  }
}

// Keys of the derived tables written as a difference (replaceRows). loan_state (one row per loan, with its own
// computed_at) is simply replaced.
const DIFF_KEYS: Partial<Record<string, readonly string[]>> = {
  installment_state: ["loan_id", "installment_no"],
  repayment_allocations: ["repayment_id", "installment_no", "component"],
  loan_state_history: ["loan_id", "seq"],
};

/**
 * Replaces the rows of `t.loans` in `t.name` by `t.columns`, writing only the difference in ONE statement: rows whose
 * key is gone are deleted, new keys inserted, rows whose values moved updated. An event batch adds one repayment's
 * few allocations to a loan's hundred, and a delete-and-insert of all of them (with their foreign-key checks) was
 * the dearest statement of the repayment → warning path. The deleted and the upserted keys are disjoint.
 */
function replaceRows(sql: postgres.TransactionSql, t: { name: string; columns: readonly Column[]; loans: readonly number[] }, key: readonly string[]) {
  const names = t.columns.map((c) => c.name);
  const rest = names.filter((n) => !key.includes(n));
  const text = `with n as (select * from ${unnestOf(t.columns, 2)} as n(${names.join(", ")})),
    gone as (delete from ${t.name} x where x.loan_id = any($1::int[]) and not exists (select 1 from n where ${key.map((k) => `n.${k} = x.${k}`).join(" and ")}))
    insert into ${t.name} (${names.join(", ")}) select ${names.join(", ")} from n
    on conflict (${key.join(", ")}) do update set ${rest.map((c) => `${c} = excluded.${c}`).join(", ")}
    where (${rest.map((c) => `${t.name}.${c}`).join(", ")}) is distinct from (${rest.map((c) => `excluded.${c}`).join(", ")})`;
  return sql.unsafe(text, [t.loans, ...t.columns.map((c) => c.values)] as never).execute();
}

const cols = (spec: Record<string, string>): Column[] => Object.entries(spec).map(([name, type]) => ({ name, type, values: [] }));

/** A derived table's rows to write, column by column, and the loans whose rows they replace. */
const table = (name: string, spec: Record<string, string>) => ({ name, columns: cols(spec), loans: [] as number[] });

function push(columns: Column[], ...values: unknown[]): void {
  values.forEach((v, i) => (columns[i] as Column).values.push(v));
}

/**
 * Recomputes the loans' derived state as of `asOf` in one transaction. Loans whose state changed get their derived
 * rows rewritten, their status updated (with an audit row) when the engine's derived status moved, and one
 * 'loans.changed' outbox row names them all. Unknown ids are skipped.
 */
export async function recomputeLoans(
  db: Db,
  loanIds: readonly number[],
  asOf: string,
  opts: { config?: DelinquencyConfig; claim?: boolean } = {},
): Promise<RecomputeResult & { claimed?: ClaimedChange }> {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  const ids = [...new Set(loanIds)].sort((a, b) => a - b);
  if (ids.length === 0) return { loans: 0, changed: 0 };
  return db.$client.begin(async (sql) => {
    // Every read is sent at once (postgres-js pipelines the queries of one connection; they still run in this
    // order): an event batch of a few loans pays one round trip for them, not seven. The row locks come first and
    // serialise recomputes of the same loan (batches lock in id order: no deadlocks); NO KEY UPDATE leaves repayment
    // inserts, whose foreign key check takes KEY SHARE, free to proceed. Bigints come back as float8: exact for
    // whole fen below 2^53. Unknown ids simply match nothing.
    // postgres-js queries start when awaited: the lock is started explicitly, before any read of derived rows.
    const locked = sql<LoanRow[]>`
      select id, principal_fen::float8 as principal_fen, annual_rate::text as annual_rate, disbursed_on::text as disbursed_on,
             maturity_on::text as maturity_on, status, closed_on::text as closed_on
      from loans where id = any(${ids}::int[]) order by id for no key update`.execute();
    const [config, loans, installments, repayments, stored] = await Promise.all([
      opts.config ?? readDelinquencyConfig(sql),
      locked,
      sql<InstallmentRow[]>`
        select loan_id, installment_no, due_on::text as due_on, principal_due_fen::float8 as principal_due_fen,
               interest_due_fen::float8 as interest_due_fen
        from installments where loan_id = any(${ids}::int[])`,
      sql<RepaymentRow[]>`
        select loan_id, id::float8 as id, paid_on::text as paid_on, amount_fen::float8 as amount_fen, external_id
        from repayments where loan_id = any(${ids}::int[]) and paid_on <= ${asOf}::date`,
      storedFingerprints(sql, ids),
    ]);
    const found = loans.map((l) => l.id);
    if (found.length === 0) return { loans: 0, changed: 0 };
    const scheduleOf = groupBy(installments, (r) => ({ installmentNo: r.installment_no, dueOn: r.due_on, principalDueFen: r.principal_due_fen, interestDueFen: r.interest_due_fen }));
    const paymentsOf = groupBy(repayments, (r) => ({ id: r.id, paidOn: r.paid_on, amountFen: r.amount_fen, externalId: r.external_id }));

    // In the order of fingerprints(): each table is rewritten only for the loans whose rows there changed (a new
    // business date moves DPD and penalty, rarely the allocations, which are the most rows).
    const stateT = table("loan_state", {
      loan_id: "int[]",
      as_of: "text[]::date[]",
      outstanding_principal_fen: "int8[]",
      overdue_principal_fen: "int8[]",
      overdue_interest_fen: "int8[]",
      penalty_fen: "int8[]",
      paid_principal_fen: "int8[]",
      paid_interest_fen: "int8[]",
      paid_penalty_fen: "int8[]",
      prepaid_principal_fen: "int8[]",
      dpd: "int[]",
      bucket: "text[]",
      classification: "text[]::classification[]",
      settled: "text[]::bool[]",
      settled_on: "text[]::date[]",
      next_due_on: "text[]::date[]",
      last_paid_on: "text[]::date[]",
    });
    const instT = table("installment_state", {
      loan_id: "int[]",
      installment_no: "int2[]",
      paid_principal_fen: "int8[]",
      paid_interest_fen: "int8[]",
      paid_penalty_fen: "int8[]",
      penalty_accrued_fen: "int8[]",
      settled_on: "text[]::date[]",
    });
    const allocT = table("repayment_allocations", { repayment_id: "int8[]", loan_id: "int[]", installment_no: "int2[]", component: "text[]", amount_fen: "int8[]" });
    const histT = table("loan_state_history", {
      loan_id: "int[]",
      seq: "int[]",
      changed_on: "text[]::date[]",
      cause: "text[]",
      dpd: "int[]",
      bucket: "text[]",
      classification: "text[]::classification[]",
      before: "text[]::jsonb[]",
      after: "text[]::jsonb[]",
    });
    const tables = [stateT, instT, allocT, histT];
    const statusRows = cols({ id: "int[]", status: "text[]::loan_status[]", closed_on: "text[]::date[]", before: "text[]::jsonb[]", after: "text[]::jsonb[]" });
    const changed: number[] = [];
    // Loans whose loan_state row stays: only its as-of date may move.
    const kept: number[] = [];

    for (const loan of loans) {
      const r = computeDelinquency(
        {
          loan: { principalFen: loan.principal_fen, annualRate: loan.annual_rate, disbursedOn: loan.disbursed_on, maturityOn: loan.maturity_on },
          installments: scheduleOf.get(loan.id) ?? [],
          repayments: paymentsOf.get(loan.id) ?? [],
          asOf,
        },
        config,
      );
      const s = r.state;
      const closedOn = s.status === "active" ? null : s.settledOn;
      const statusMoved = DERIVED_STATUSES.has(loan.status) && (loan.status !== s.status || loan.closed_on !== closedOn);
      const stale = fingerprints(r).map((fp, t) => fp !== stored[t]?.get(loan.id));
      if (stale.includes(true) || statusMoved) changed.push(loan.id);
      if (statusMoved) {
        push(statusRows, loan.id, s.status, closedOn, JSON.stringify({ status: loan.status, closedOn: loan.closed_on }), JSON.stringify({ status: s.status, closedOn, asOf }));
      }
      tables.forEach((t, k) => {
        if (stale[k]) t.loans.push(loan.id);
      });
      if (stale[0]) {
        push(stateT.columns, loan.id, asOf, ...stateValues(s).map((v) => (typeof v === "boolean" ? String(v) : v)));
      } else kept.push(loan.id);
      if (stale[1]) {
        for (const i of r.installments) push(instT.columns, loan.id, i.installmentNo, i.paidPrincipalFen, i.paidInterestFen, i.paidPenaltyFen, i.penaltyAccruedFen, i.settledOn);
      }
      if (stale[2]) for (const a of r.allocations) push(allocT.columns, a.repaymentId, loan.id, a.installmentNo, a.component, a.amountFen);
      if (stale[3]) {
        r.history.forEach((h, k) => push(histT.columns, loan.id, k + 1, h.changedOn, h.cause, h.dpd, h.bucket, h.classification, JSON.stringify(h.before), JSON.stringify(h.after)));
      }
    }

    // The writes are pipelined too: sent together, run in the order they are started. postgres-js queries are lazy
    // (they start when awaited), so each is started explicitly here, the delete before its table's insert.
    const writes: Promise<unknown>[] = [];
    for (const t of tables) {
      if (!t.loans.length) continue;
      const key = DIFF_KEYS[t.name];
      // Event-sized batches write the difference; portfolio batches (a rebuild, chunked inserts) replace wholesale.
      if (key && (t.columns[0]?.values.length ?? 0) <= INSERT_CHUNK) {
        writes.push(replaceRows(sql, t, key));
        continue;
      }
      writes.push(sql.unsafe(`delete from ${t.name} where loan_id = any($1::int[])`, [t.loans] as never).execute());
      writes.push(insertColumns(sql, t.name, t.columns));
    }
    if (kept.length) {
      // Same state on a new business date: only the date it holds for moves.
      writes.push(sql`update loan_state set as_of = ${asOf}::date, computed_at = now() where loan_id = any(${kept}::int[]) and as_of <> ${asOf}::date`.execute());
    }
    await Promise.all(writes);
    if (statusRows[0]?.values.length) {
      const [id, status, closed, before, after] = statusRows.map((c) => c.values);
      await sql`
        update loans l set status = u.status, closed_on = u.closed_on, updated_at = now()
        from unnest(${id as number[]}::int[], ${status as string[]}::text[]::loan_status[], ${closed as (string | null)[]}::text[]::date[]) as u(id, status, closed_on)
        where l.id = u.id`;
      await sql`
        insert into audit_log (actor_kind, action, entity, entity_id, before, after)
        select 'system:delinquency', 'loan.status', 'loans', u.id::text, u.before, u.after
        from unnest(${id as number[]}::int[], ${before as string[]}::text[]::jsonb[], ${after as string[]}::text[]::jsonb[]) as u(id, before, after)`;
    }
    if (changed.length === 0) return { loans: found.length, changed: 0 };
    // Claimed (opts.claim: dispatched_at set): no sweep sends it; the caller evaluates and confirms it, and if the
    // caller dies first, the reconciler finds it unconfirmed and sends its evaluation.batch. `inline` keeps it out of
    // the dispatcher's count of sweeps in flight (it is not one); clock_timestamp(), not the transaction's start, so
    // the reconciler's minute counts from about when the evaluation begins.
    const claim = opts.claim === true;
    const [row] = await sql<{ id: number }[]>`
      insert into outbox (topic, payload, dispatched_at, attempts)
      values ('loans.changed', ${JSON.stringify({ loanIds: changed, asOf, ...(claim ? { inline: true } : {}) })}::text::jsonb,
              case when ${claim} then clock_timestamp() end, ${claim ? 1 : 0})
      returning id::int as id`;
    return { loans: found.length, changed: changed.length, ...(claim ? { claimed: { outboxId: row!.id, loanIds: changed } } : {}) };
  });
}

function groupBy<R extends { loan_id: number }, T>(rows: readonly R[], map: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    let list = out.get(r.loan_id);
    if (!list) out.set(r.loan_id, (list = []));
    list.push(map(r));
  }
  return out;
}

export type RecomputeProgress = { done: number; total: number; changed: number };

/**
 * Recomputes every loan as of `asOf`: `batchSize` loans per transaction in id order (keyset pagination), up to
 * `concurrency` batches at a time. Memory is bounded by the batches in flight whatever the portfolio size.
 */
export async function recomputeAll(
  db: Db,
  asOf: string,
  opts: { batchSize?: number; concurrency?: number; onProgress?: (p: RecomputeProgress) => void } = {},
): Promise<RecomputeResult> {
  const { batchSize = 2_000, concurrency = 2 } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive whole number, got ${batchSize}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive whole number, got ${concurrency}`);
  const config = await loadDelinquencyConfig(db);
  const [count] = await db.$client<{ n: number }[]>`select count(*)::int as n from loans`;
  const total = count?.n ?? 0;
  const result: RecomputeResult = { loans: 0, changed: 0 };
  opts.onProgress?.({ done: 0, total, changed: 0 });
  // Batches hold disjoint loans and lock them in id order, so running two at once cannot deadlock.
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  for (let after = 0; failure === null; ) {
    const batch = await db.$client<{ id: number }[]>`select id from loans where id > ${after} order by id limit ${batchSize}`;
    const last = batch.at(-1);
    if (!last) break;
    after = last.id;
    const ids = batch.map((b) => b.id);
    const run = recomputeLoans(db, ids, asOf, { config }).then(
      (r) => {
        result.loans += r.loans;
        result.changed += r.changed;
        opts.onProgress?.({ done: result.loans, total: Math.max(total, result.loans), changed: result.changed });
      },
      (e: unknown) => {
        failure ??= e;
      },
    );
    inFlight.add(run);
    void run.then(() => inFlight.delete(run));
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw failure;
  return result;
}
