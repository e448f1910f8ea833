// Loads the demo portfolio into an empty database: one transaction, COPY in bounded chunks, explicit ids so the
// same (seed, customers, asOf) always yields the same rows. Not "server-only": scripts import it under plain Node.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { hashPassword } from "../auth/password";
import type { Db } from "../db/client";
import { detectChurn } from "../churn/detect";
import { recomputeAll } from "../loans/recompute";
import { ensureBuiltinRules, ensureReferenceRates } from "../rules/library";
import { tagPendingFollowUps } from "../signals/store";
import { ensureBuiltinLexicon } from "../signals/versions";
import { seedRoutineContacts } from "./contacts";
import { ensureCalendar } from "../tasks/settings";
import {
  addToSummary,
  DEMO_PASSWORD,
  emptySummary,
  generateCustomers,
  planPortfolio,
  type CustomerBundle,
  type PortfolioOptions,
  type PortfolioSummary,
} from "./generate";

export type SeedOptions = PortfolioOptions;
export type SeedSummary = PortfolioSummary;
export type SeedProgress = { phase: string; done: number; total: number };

/** The database already holds data: seeding would mix the demo with it. */
export class SeedRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedRefused";
  }
}

// Rows (installments + repayments) per round of COPY statements: memory stays flat whatever the portfolio size,
// while each statement is big enough that its fixed cost is noise (docs/benchmarks.md, "Why the code is shaped
// this way").
const CHUNK_ROWS = 400_000;
const COPY_BATCH_CHARS = 1 << 18;

type Cell = string | number | boolean | null;

// COPY text format: tab-separated, \N for null, backslash escapes for the four characters that would break a row.
function cell(v: Cell): string {
  if (v === null) return "\\N";
  if (typeof v !== "string") return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] as string) : v;
}

function* batches(rows: Iterable<readonly Cell[]>): Generator<string> {
  let buf = "";
  for (const r of rows) {
    buf += r.map(cell).join("\t") + "\n";
    if (buf.length >= COPY_BATCH_CHARS) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}

// Table and column names are constants of this module, never input.
async function copyRows(sql: postgres.TransactionSql, table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<void> {
  const target = await sql.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
  await pipeline(Readable.from(batches(rows)), target);
}

function* flat<T, R>(items: readonly T[], rows: (item: T) => Iterable<R>): Generator<R> {
  for (const it of items) yield* rows(it);
}

async function copyChunk(sql: postgres.TransactionSql, chunk: readonly CustomerBundle[]): Promise<void> {
  // Parents before children: the foreign keys are checked at the end of each COPY statement.
  await copyRows(
    sql,
    "customers",
    ["id", "customer_no", "name", "credit_code", "legal_rep", "registered_capital_fen", "industry_code", "region", "branch_id", "rm_id", "onboarded_on", "status", "contact_person", "contact_phone"],
    chunk.map(({ customer: c }) => [c.id, c.customerNo, c.name, c.creditCode, c.legalRep, c.registeredCapitalFen, c.industryCode, c.region, c.branchId, c.rmId, c.onboardedOn, c.status, c.contactPerson, c.contactPhone]),
  );
  await copyRows(
    sql,
    "applications",
    ["id", "application_no", "customer_id", "product", "amount_fen", "submitted_on", "decided_on", "status"],
    flat(chunk, (b) => b.applications.map((a) => [a.id, a.applicationNo, a.customerId, a.product, a.amountFen, a.submittedOn, a.decidedOn, a.status])),
  );
  await copyRows(
    sql,
    "loans",
    ["id", "contract_no", "customer_id", "application_id", "product", "principal_fen", "annual_rate", "term_months", "method", "disbursed_on", "maturity_on", "status", "closed_on"],
    flat(chunk, (b) =>
      b.loans.map((l) => [l.id, l.contractNo, l.customerId, l.applicationId, l.product, l.principalFen, l.annualRate, l.termMonths, l.method, l.disbursedOn, l.maturityOn, l.status, l.closedOn]),
    ),
  );
  await copyRows(
    sql,
    "installments",
    ["loan_id", "installment_no", "due_on", "principal_due_fen", "interest_due_fen"],
    flat(chunk, (b) => b.installments.map((i) => [i.loanId, i.installmentNo, i.dueOn, i.principalDueFen, i.interestDueFen])),
  );
  await copyRows(
    sql,
    "repayments",
    ["id", "loan_id", "paid_on", "amount_fen", "source", "external_id"],
    flat(chunk, (b) => b.repayments.map((r) => [r.id, r.loanId, r.paidOn, r.amountFen, "seed", r.externalId])),
  );
  await copyRows(
    sql,
    "churn_truth",
    ["customer_id", "behaviour", "churns", "stage", "will", "reason_family", "signal_on", "churn_on", "loan_id", "application_id", "note"],
    chunk.map(({ truth: t }) => [t.customerId, t.behaviour, t.churns, t.stage, t.will, t.reasonFamily, t.signalOn, t.churnOn, t.loanId, t.applicationId, t.note]),
  );
}

const ID_TABLES = ["branches", "users", "customers", "applications", "loans", "repayments"] as const;

/**
 * Writes the demo portfolio for (customers, seed, asOf) into an empty database and returns what it wrote.
 * Throws SeedRefused when branches, users or customers already exist; any failure while loading leaves the database
 * as it was. The loans' derived state is computed after the load commits (rerunnable with recomputeAll).
 */
export async function seedDemo(db: Db, opts: SeedOptions, onProgress?: (p: SeedProgress) => void): Promise<SeedSummary> {
  const plan = planPortfolio(opts);
  const total = plan.options.customers;
  // One hash for every demo user: argon2 is deliberately slow, and the demo password is public anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const summary = await db.$client.begin(async (sql) => {
    // Writers wait (readers do not) so two seeds cannot both see an empty database.
    await sql`lock table branches, users, customers in exclusive mode`;
    const [found] = await sql<{ branches: number; users: number; customers: number }[]>`
      select (select count(*) from branches)::int as branches, (select count(*) from users)::int as users,
             (select count(*) from customers)::int as customers`;
    if (found && (found.branches || found.users || found.customers)) {
      throw new SeedRefused(
        `The database is not empty (${found.customers} customers, ${found.users} users, ${found.branches} branches): ` +
          "the demo portfolio only loads into an empty database. Use a fresh database, or drop and recreate this one.",
      );
    }

    await copyRows(sql, "branches", ["id", "code", "name", "name_en", "region"], plan.branches.map((b) => [b.id, b.code, b.name, b.nameEn, b.region]));
    await copyRows(
      sql,
      "users",
      ["id", "username", "display_name", "role", "branch_id", "active", "password_hash", "email"],
      plan.users.map((u) => [u.id, u.username, u.displayName, u.role, u.branchId, true, passwordHash, u.email]),
    );
    onProgress?.({ phase: "organisation", done: plan.users.length, total: plan.users.length });

    const s = emptySummary(plan);
    let chunk: CustomerBundle[] = [];
    let chunkRows = 0;
    onProgress?.({ phase: "customers", done: 0, total });
    for (const bundle of generateCustomers(plan)) {
      chunk.push(bundle);
      chunkRows += bundle.installments.length + bundle.repayments.length;
      addToSummary(s, bundle);
      if (chunkRows >= CHUNK_ROWS || s.customers === total) {
        await copyChunk(sql, chunk);
        [chunk, chunkRows] = [[], 0];
        onProgress?.({ phase: "customers", done: s.customers, total });
      }
    }

    // Rows went in with explicit ids: move each identity past them so the application's own inserts follow on.
    for (const t of ID_TABLES) {
      await sql.unsafe(`select setval(pg_get_serial_sequence('${t}', 'id'), coalesce(max(id), 1), max(id) is not null) from ${t}`);
    }
    const demo = { asOf: plan.options.asOf, seed: plan.options.seed, customers: total };
    await sql`insert into settings (key, value) values ('demo.asOf', ${JSON.stringify(demo)}::text::jsonb)`;
    // lib/audit.ts writes through drizzle; this transaction is postgres-js's (COPY needs it), so the row is written here
    // in the same shape.
    await sql`
      insert into audit_log (actor_kind, action, entity, entity_id, after)
      values ('system:seed', 'seed.load', 'settings', 'demo.asOf', ${JSON.stringify({ ...demo, ...s })}::text::jsonb)`;
    return s;
  });

  // Fresh statistics, or the planner meets millions of rows believing the tables are empty.
  onProgress?.({ phase: "analyze", done: 0, total: 1 });
  await db.$client.unsafe(`analyze branches, users, customers, applications, loans, installments, repayments, churn_truth`);
  onProgress?.({ phase: "analyze", done: 1, total: 1 });

  // DPD, classification and allocations as of the demo date, so the demo shows delinquency from the first start.
  await recomputeAll(db, plan.options.asOf, { onProgress: (p) => onProgress?.({ phase: "state", done: p.done, total: p.total }) });
  await db.$client.unsafe(`analyze installment_state, repayment_allocations, loan_state, loan_state_history`);
  // Reference rates and the built-in warning rules, so the first evaluation has something to run.
  await ensureReferenceRates(db);
  await ensureBuiltinRules(db);
  await ensureCalendar(db);
  await ensureBuiltinLexicon(db);
  await seedRoutineContacts(db, plan.options.asOf);
  // The demo's notes tagged with the active lexicon, so the note features and the task pages show signals at once.
  await tagPendingFollowUps(db);
  // The churn events the loaded data shows as of the demo date (docs/churn.md), so /churn is not empty on first start.
  onProgress?.({ phase: "churn", done: 0, total: 1 });
  await detectChurn(db, { kind: "all" }, plan.options.asOf);
  onProgress?.({ phase: "churn", done: 1, total: 1 });
  return summary as SeedSummary;
}
