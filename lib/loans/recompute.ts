// Writes the delinquency engine's results: installment_state, repayment_allocations, loan_state and
// loan_state_history, set-based for a batch of loans. Only the rows that changed are rewritten (per loan and table),
// so a rerun on the same inputs writes nothing. Not "server-only": the seed script imports it under plain Node.
import { getTableColumns, is } from "drizzle-orm";
import { getTableConfig, PgEnumColumn, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { z } from "zod";
import type { Db } from "../db/client";
import { installmentState, loanState, loanStateHistory, repaymentAllocations, type loanStatusEnum } from "../db/schema";
import { emit } from "../pipeline/emit";
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

// Statuses the engine derives; defaulted, written off and terminated are the bank's decisions and stay as set.
const DERIVED_STATUSES: ReadonlySet<LoanStatus> = new Set(["active", "matured", "prepaid"]);
// Rows per INSERT … SELECT FROM unnest(…): bounded statements whatever the batch size.
const INSERT_CHUNK = 50_000;
/** Batches up to this many loans are event-sized (see recomputeLoans). */
const EVENT_BATCH_MAX = 200;

type LoanRow = { id: number; principal_fen: number; annual_rate: string; disbursed_on: string; maturity_on: string; status: LoanStatus; closed_on: string | null };
type InstallmentRow = { loan_id: number; installment_no: number; due_on: string; principal_due_fen: number; interest_due_fen: number };
type RepaymentRow = { loan_id: number; id: number; paid_on: string; amount_fen: number; external_id: string };
type Row = unknown[];

// loan_state's columns after loan_id and as_of, in table order: one list for what is written and what is
// compared, so the two cannot drift apart.
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

/**
 * A derived table, compared with what is stored: a row's key and values are rendered as text the same way here
 * (keyOf, render: over a row as written, in column order) and in SQL (storedKey, storedRow). Each loan's stored rows
 * come back as ONE string (rows in `order`): equal to the engine's output rendered the same way, the loan's rows there
 * are unchanged (most loans of a nightly run); otherwise it is split and compared row by row, and only new, moved
 * and vanished rows are written (an event batch adds one repayment's few allocations to a loan's hundred; a new
 * business day moves the penalty of overdue installments). Everything here is derived once, at module load, from
 * the table's definition in lib/db/schema.ts, so a column added there is written and compared (or explicitly left
 * out) without a second list to keep in step; table, column and type names are never input.
 */
type Derived = {
  name: string;
  /** The columns written, in table order: the rows recomputeLoans builds for the table follow this order. */
  columns: readonly string[];
  keyOf: (row: Row) => string;
  render: (row: Row) => string;
  /** Per loan, its stored rows as `key US rendering`, joined by RS, in the order the engine's rows come. */
  selectText: string;
  /** The whole difference in one statement: deletes by key ($1, $2), updates, inserts (one array per column each). */
  writeText: string;
};

// How a column of a derived table is compared: its SQL rendering (a concat_ws argument; dates as text under the
// DateStyle recomputeLoans pins) and the same rendering in JS of the value the engine produced (none: the value as is).
type Rendering = { sql: (column: string) => string; js?: (value: unknown) => string };
const asIs: Rendering = { sql: (c) => c };
// concat_ws skips nulls, which would shift the fields after them: a null renders as an empty field.
const orEmpty: Rendering = { sql: (c) => `coalesce(${c}::text, '')`, js: (v) => (v === null || v === undefined ? "" : String(v)) };
const bit: Rendering = { sql: (c) => `case when ${c} then 1 else 0 end`, js: (v) => (v ? "1" : "0") };

// The state snapshots of loan_state_history's before/after, by the fields that define a change.
const SNAPSHOT_FIELDS = ["dpd", "bucket", "classification", "settled"] as const satisfies readonly (keyof StateSnapshot)[];
const snapshot: Rendering = {
  sql: (c) => SNAPSHOT_FIELDS.map((f) => `${c}->>'${f}'`).join(", "),
  js: (v) => SNAPSHOT_FIELDS.map((f) => (v as StateSnapshot)[f]).join(","),
};

/** The array parameter type a column travels as. Dates, booleans, enums and JSON travel as text[] and are cast in
 *  SQL (the client, as drizzle configures it, cannot serialise date[] or bool[] parameters). */
function parameterType(c: PgColumn): string {
  const type = c.getSQLType();
  if (is(c, PgEnumColumn)) return `text[]::${type}[]`;
  const known: Record<string, string> = { integer: "int[]", smallint: "int2[]", bigint: "int8[]", text: "text[]", date: "text[]::date[]", boolean: "text[]::bool[]", jsonb: "text[]::jsonb[]" };
  const t = known[type];
  if (!t) throw new Error(`recompute: no parameter type for ${type} (column ${c.name}): add one to parameterType`);
  return t;
}

/** A row's text from per-column renderings, without an intermediate array (it runs for every row of a batch). */
function renderer(at: readonly number[], js: readonly (((v: unknown) => string) | undefined)[]): (row: Row) => string {
  if (at.length === 0) return () => "";
  if (js.every((f) => f === undefined)) return plainRenderer(at);
  return (row) => {
    let s = "";
    for (let k = 0; k < at.length; k++) {
      const f = js[k];
      const v = row[at[k]!];
      s += (k === 0 ? "" : ",") + (f === undefined ? (v as string | number) : f(v));
    }
    return s;
  };
}

// Values as they are (keys, and allocation rows, the most numerous) by a loop of its own, whose type feedback the
// other tables' renderings do not share (docs/benchmarks.md, "Why the code is shaped this way").
function plainRenderer(at: readonly number[]): (row: Row) => string {
  return (row) => {
    let s = "" + (row[at[0]!] as string | number);
    for (let k = 1; k < at.length; k++) s += "," + (row[at[k]!] as string | number);
    return s;
  };
}

/**
 * Derives a table's comparison and write statements from its schema. `computed` columns are left to the database
 * (their default) and `touch`ed on update; `uncompared` columns are written but do not make a row differ;
 * `renderings` say how JSON columns compare. Every other column is written and compared: the engine must produce it.
 */
function derived(table: PgTable, spec: { computed?: Record<string, string>; uncompared?: readonly string[]; renderings?: Record<string, Rendering> }): Derived {
  const { name, primaryKeys } = getTableConfig(table);
  const all = Object.values(getTableColumns(table));
  const computed = spec.computed ?? {};
  for (const c of Object.keys(computed)) if (!all.some((x) => x.name === c && x.hasDefault)) throw new Error(`recompute: ${name}.${c} is not a column with a default`);
  const cols = all.filter((c) => !(c.name in computed));
  const columns = cols.map((c) => c.name);
  const types = cols.map(parameterType);
  const key = (primaryKeys[0]?.columns ?? all.filter((c) => c.primary)).map((c) => c.name);
  // Rows are grouped by loan: the loan id is neither compared nor part of the per-loan key.
  const ownKey = key.filter((c) => c !== "loan_id");
  const compared = cols.filter((c) => c.name !== "loan_id" && !spec.uncompared?.includes(c.name));
  const rendering = (c: PgColumn): Rendering => {
    const own = spec.renderings?.[c.name];
    if (own) return own;
    if (c.getSQLType() === "jsonb") throw new Error(`recompute: ${name}.${c.name} is JSON: say how it compares (renderings)`);
    if (!c.notNull) return orEmpty;
    return c.getSQLType() === "boolean" ? bit : asIs;
  };
  const storedKey = ownKey.length === 0 ? `''` : ownKey.length === 1 ? `${ownKey[0]}::text` : `concat_ws(',', ${ownKey.join(", ")})`;
  const storedRow = `concat_ws(',', ${compared.map((c) => rendering(c).sql(c.name)).join(", ")})`;
  // The engine's rows come in key order (allocations are sorted to it); text keys in byte order, as JS compares.
  const order = ownKey.length === 0 ? "loan_id" : ownKey.map((c) => (cols.find((x) => x.name === c)!.getSQLType() === "text" ? `${c} collate "C"` : c)).join(", ");
  const rest = columns.filter((n) => !key.includes(n));
  const typed = (first: number) => types.map((t, i) => `$${first + i}::${t}`).join(", ");
  const touch = Object.entries(computed).map(([c, v]) => `${c} = ${v}`);
  return {
    name,
    columns,
    keyOf: renderer(
      ownKey.map((c) => columns.indexOf(c)),
      ownKey.map(() => undefined),
    ),
    render: renderer(
      compared.map((c) => columns.indexOf(c.name)),
      compared.map((c) => rendering(c).js),
    ),
    selectText: `select loan_id, string_agg(${storedKey} || chr(31) || ${storedRow}, chr(30) order by ${order}) as s
         from ${name} where loan_id = any($1::int[]) group by loan_id`,
    writeText: `with del as (
      delete from ${name} where loan_id = any($1::int[]) and (loan_id, ${storedKey}) in (select * from unnest($1::int[], $2::text[]))),
    upd as (
      update ${name} x set ${[...rest.map((c) => `${c} = u.${c}`), ...touch].join(", ")}
      from unnest(${typed(3)}) u(${columns.join(", ")})
      where ${key.map((k) => `x.${k} = u.${k}`).join(" and ")})
    insert into ${name} (${columns.join(", ")}) select * from unnest(${typed(3 + columns.length)})`,
  };
}

/** In the order recomputeLoans() builds each loan's rows (derivedRows). */
export const DERIVED: readonly Derived[] = [
  // One row per loan. The as-of date is not compared: a state that only holds for a later date is "kept".
  derived(loanState, { computed: { computed_at: "now()" }, uncompared: ["as_of"] }),
  derived(installmentState, {}),
  derived(repaymentAllocations, {}),
  derived(loanStateHistory, { renderings: { before: snapshot, after: snapshot } }),
];

/** One loan's rows for each table of DERIVED, each row in that table's column order. */
export function derivedRows(loanId: number, asOf: string, r: DelinquencyResult): Row[][] {
  return [
    [[loanId, asOf, ...stateValues(r.state)]],
    r.installments.map((i) => [loanId, i.installmentNo, i.paidPrincipalFen, i.paidInterestFen, i.paidPenaltyFen, i.penaltyAccruedFen, i.settledOn]),
    [...r.allocations]
      .sort((a, b) => a.repaymentId - b.repaymentId || a.installmentNo - b.installmentNo || (a.component < b.component ? -1 : a.component > b.component ? 1 : 0))
      .map((a) => [a.repaymentId, loanId, a.installmentNo, a.component, a.amountFen]),
    r.history.map((h, k) => [loanId, k + 1, h.changedOn, h.cause, h.dpd, h.bucket, h.classification, h.before, h.after]),
  ];
}

// Separators of the per-loan strings (ASCII unit and record separators: in no rendering).
const US = "\x1f";
const RS = "\x1e";

/** Per table, each loan's stored rows as one string: `key US rendering`, joined by RS, in the table's order. */
async function storedRows(sql: postgres.TransactionSql, ids: number[], prepare: boolean): Promise<Map<number, string>[]> {
  return Promise.all(
    DERIVED.map(async (d) => {
      const rows = await sql.unsafe<{ loan_id: number; s: string }[]>(d.selectText, [ids] as never, { prepare });
      return new Map(rows.map((r) => [r.loan_id, r.s]));
    }),
  );
}

/** A table's pending writes: rows to insert and to update (as written), keys (loan id, rendered key) to delete. */
type Writes = { ins: Row[]; upd: Row[]; del: [number, string][] };

/** Adds one loan's difference to `w`; true when anything differs. */
function diffRows(d: Derived, loanId: number, stored: string | undefined, rows: readonly Row[], w: Writes): boolean {
  const rendered = rows.map((row) => [d.keyOf(row), d.render(row)] as const);
  if (stored === undefined ? rows.length === 0 : stored === rendered.map(([k, r]) => k + US + r).join(RS)) return false;
  const before = w.ins.length + w.upd.length + w.del.length;
  const old = new Map<string, string>();
  for (const e of stored?.split(RS) ?? []) {
    const at = e.indexOf(US);
    old.set(e.slice(0, at), e.slice(at + 1));
  }
  rendered.forEach(([k, r], i) => {
    const was = old.get(k);
    if (was === undefined) w.ins.push(rows[i]!);
    else if (was !== r) w.upd.push(rows[i]!);
    old.delete(k);
  });
  for (const k of old.keys()) w.del.push([loanId, k]);
  // (The strings can differ with every row equal, if the two orders ever disagreed: then nothing is written.)
  return w.ins.length + w.upd.length + w.del.length > before;
}

/** Rows as one array parameter per column (booleans as text, objects as JSON text, as the column types expect). */
const columnsOf = (rows: readonly Row[], width: number): unknown[][] =>
  Array.from({ length: width }, (_, c) => rows.map((r) => (typeof r[c] === "boolean" ? String(r[c]) : r[c] !== null && typeof r[c] === "object" ? JSON.stringify(r[c]) : r[c])));

/**
 * A table's difference in ONE statement (chunks of INSERT_CHUNK rows per kind for portfolio-sized batches): deletes
 * by key, updates by key, inserts. The three key sets are disjoint. The text is constant per table.
 */
function writeDiff(sql: postgres.TransactionSql, d: Derived, w: Writes, prepare: boolean): Promise<unknown>[] {
  const width = d.columns.length;
  const out: Promise<unknown>[] = [];
  const n = Math.max(w.ins.length, w.upd.length, w.del.length);
  for (let from = 0; from < n; from += INSERT_CHUNK) {
    const del = w.del.slice(from, from + INSERT_CHUNK);
    const params = [del.map((x) => x[0]), del.map((x) => x[1]), ...columnsOf(w.upd.slice(from, from + INSERT_CHUNK), width), ...columnsOf(w.ins.slice(from, from + INSERT_CHUNK), width)];
    out.push(sql.unsafe(d.writeText, params as never, { prepare }).execute());
  }
  return out;
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
  opts: { config?: DelinquencyConfig } = {},
): Promise<RecomputeResult> {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  const ids = [...new Set(loanIds)].sort((a, b) => a - b);
  if (ids.length === 0) return { loans: 0, changed: 0 };
  // Event batches (a few loans, many times a second) run the comparison and the writes prepared: no describe round
  // trip, no plan per call. Portfolio batches do not, so a generic plan that event batches settled on is never
  // reused for 2,000 loans and chunks of 50,000 rows.
  const prepare = ids.length <= EVENT_BATCH_MAX;
  return db.$client.begin(async (sql) => {
    // Every read is sent at once (postgres-js pipelines the queries of one connection; they still run in this
    // order): an event batch of a few loans pays one round trip for them, not seven. The row locks come first and
    // serialise recomputes of the same loan (batches lock in id order: no deadlocks); NO KEY UPDATE leaves repayment
    // inserts, whose foreign key check takes KEY SHARE, free to proceed. Bigints come back as float8: exact for
    // whole fen below 2^53. Unknown ids simply match nothing.
    // Dates are read and compared as text, so their text must not follow the session's DateStyle: pinned here, for
    // the transaction, rather than per value (see docs/benchmarks.md). Started first, as the lock is below.
    const pinned = sql`set local datestyle = 'ISO, YMD'`.execute();
    // postgres-js queries start when awaited: the lock is started explicitly, before any read of derived rows.
    const locked = sql<LoanRow[]>`
      select id, principal_fen::float8 as principal_fen, annual_rate::text as annual_rate, disbursed_on::text as disbursed_on,
             maturity_on::text as maturity_on, status, closed_on::text as closed_on
      from loans where id = any(${ids}::int[]) order by id for no key update`.execute();
    const [, config, loans, installments, repayments, stored] = await Promise.all([
      pinned,
      opts.config ?? readDelinquencyConfig(sql),
      locked,
      sql<InstallmentRow[]>`
        select loan_id, installment_no, due_on::text as due_on, principal_due_fen::float8 as principal_due_fen,
               interest_due_fen::float8 as interest_due_fen
        from installments where loan_id = any(${ids}::int[])`,
      sql<RepaymentRow[]>`
        select loan_id, id::float8 as id, paid_on::text as paid_on, amount_fen::float8 as amount_fen, external_id
        from repayments where loan_id = any(${ids}::int[]) and paid_on <= ${asOf}::date`,
      storedRows(sql, ids, prepare),
    ]);
    const found = loans.map((l) => l.id);
    if (found.length === 0) return { loans: 0, changed: 0 };
    const scheduleOf = groupBy(installments, (r) => ({ installmentNo: r.installment_no, dueOn: r.due_on, principalDueFen: r.principal_due_fen, interestDueFen: r.interest_due_fen }));
    const paymentsOf = groupBy(repayments, (r) => ({ id: r.id, paidOn: r.paid_on, amountFen: r.amount_fen, externalId: r.external_id }));

    // Per table (in DERIVED's order) the rows that differ from the stored ones: a new business date moves DPD and
    // penalty, rarely the allocations, which are the most rows.
    const writes = DERIVED.map((): Writes => ({ ins: [], upd: [], del: [] }));
    const statusRows: { id: number; status: LoanStatus; closedOn: string | null; before: string; after: string }[] = [];
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
      if (statusMoved) {
        statusRows.push({ id: loan.id, status: s.status, closedOn, before: JSON.stringify({ status: loan.status, closedOn: loan.closed_on }), after: JSON.stringify({ status: s.status, closedOn, asOf }) });
      }
      const rows = derivedRows(loan.id, asOf, r);
      const moved = DERIVED.map((d, t) => diffRows(d, loan.id, stored[t]?.get(loan.id), rows[t]!, writes[t]!));
      if (moved.includes(true) || statusMoved) changed.push(loan.id);
      if (!moved[0]) kept.push(loan.id);
    }

    // The writes are pipelined too: sent together, run in the order they are started (postgres-js queries are lazy:
    // each is started explicitly here).
    const pending = DERIVED.flatMap((d, t) => writeDiff(sql, d, writes[t]!, prepare));
    if (kept.length) {
      // Same state on a new business date: only the date it holds for moves.
      pending.push(sql`update loan_state set as_of = ${asOf}::date, computed_at = now() where loan_id = any(${kept}::int[]) and as_of <> ${asOf}::date`.execute());
    }
    await Promise.all(pending);
    if (statusRows.length) {
      const id = statusRows.map((u) => u.id);
      const status = statusRows.map((u) => u.status);
      const closed = statusRows.map((u) => u.closedOn);
      const before = statusRows.map((u) => u.before);
      const after = statusRows.map((u) => u.after);
      await sql`
        update loans l set status = u.status, closed_on = u.closed_on, updated_at = now()
        from unnest(${id as number[]}::int[], ${status as string[]}::text[]::loan_status[], ${closed as (string | null)[]}::text[]::date[]) as u(id, status, closed_on)
        where l.id = u.id`;
      await sql`
        insert into audit_log (actor_kind, action, entity, entity_id, before, after)
        select 'system:delinquency', 'loan.status', 'loans', u.id::text, u.before, u.after
        from unnest(${id as number[]}::int[], ${before as string[]}::text[]::jsonb[], ${after as string[]}::text[]::jsonb[]) as u(id, before, after)`;
    }
    if (changed.length) await emit(sql, "loans.changed", { loanIds: changed, asOf });
    return { loans: found.length, changed: changed.length };
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
