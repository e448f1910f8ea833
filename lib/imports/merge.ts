// Per kind: the staging table's columns, the set-based checks run against it (duplicates, references, conflicts
// with existing data) and the merge into the real tables. All SQL here is constant text; values travel as
// parameters or through the staging table, never spliced in.
import "server-only";
import { COLUMNS, type ColumnType, type ImportKind } from "./columns";

/** A check: rows of the staging table that break one rule, as (row_no, params jsonb). */
export type Check = { key: string; code: string; sql: string };

export type KindSpec = {
  checks: readonly Check[];
  /** Runs once before the merge (e.g. content-hash ids). */
  prepare?: string;
  /** Merges staged rows with row_no in [$1, $2]; returns one row (total, new, changed). */
  merge: string;
  /** Whether the merge records affected loan ids in import_affected (then sent to the outbox). */
  touchesLoans: boolean;
};

export const STAGE_TABLE = "import_stage";

function pgType(t: ColumnType): string {
  switch (t.t) {
    case "date":
      return "date";
    case "amount":
      return "bigint";
    case "rate":
      return "numeric(9,6)";
    case "int":
      return "integer";
    default:
      return "text";
  }
}

/** The staging table's columns in COPY order: row_no, then the kind's canonical columns. */
export function stageColumns(kind: ImportKind): string[] {
  return ["row_no", ...COLUMNS[kind].map((c) => c.key)];
}

export function createStageSql(kind: ImportKind): string {
  const cols = COLUMNS[kind].map((c) => `${c.key} ${pgType(c.type)}`).join(", ");
  return `create temp table ${STAGE_TABLE} (row_no integer not null, ${cols}) on commit drop`;
}

// Every row after the first that repeats a key: reported against the last key column, pointing at the first row.
// A hash aggregate finds the repeated keys without sorting the whole file (keys are never null here).
function duplicates(keys: readonly string[], where = "true"): Check {
  const k = keys.join(", ");
  return {
    key: keys[keys.length - 1] as string,
    code: "duplicate.inFile",
    sql: `select s.row_no, jsonb_build_object('firstRow', d.first_row) as params
          from ${STAGE_TABLE} s
          join (select ${k}, min(row_no) as first_row from ${STAGE_TABLE} where ${where} group by ${k} having count(*) > 1) d
            on ${keys.map((c) => `s.${c} = d.${c}`).join(" and ")}
          where s.row_no > d.first_row`,
  };
}

const unknownCustomer: Check = {
  key: "customer_no",
  code: "ref.unknownCustomer",
  sql: `select s.row_no, jsonb_build_object('value', s.customer_no) as params from ${STAGE_TABLE} s
        where not exists (select 1 from customers c where c.customer_no = s.customer_no)`,
};

const unknownLoan: Check = {
  key: "contract_no",
  code: "ref.unknownLoan",
  sql: `select s.row_no, jsonb_build_object('value', s.contract_no) as params from ${STAGE_TABLE} s
        where not exists (select 1 from loans l where l.contract_no = s.contract_no)`,
};

const beforeDisbursement = (dateKey: string): Check => ({
  key: dateKey,
  code: "date.beforeDisbursement",
  sql: `select s.row_no, jsonb_build_object('disbursedOn', to_char(l.disbursed_on, 'YYYY-MM-DD')) as params
        from ${STAGE_TABLE} s join loans l on l.contract_no = s.contract_no where s.${dateKey} < l.disbursed_on`,
});

// An existing application or loan stays with its customer: a different customer no. is a conflict, not an update.
const customerMoved = (table: "applications" | "loans", keyCol: string, tableKey: string): Check => ({
  key: "customer_no",
  code: "conflict.customer",
  sql: `select s.row_no, jsonb_build_object('value', c.customer_no) as params
        from ${STAGE_TABLE} s join ${table} x on x.${tableKey} = s.${keyCol} join customers c on c.id = x.customer_id
        where c.customer_no <> s.customer_no`,
});

const ACTIVE_RM = `u.active and u.role = 'rm'`;

// Counts of one merge chunk: staged rows, inserted rows, updated rows (unchanged rows are not returned). The total
// scans the staging table again rather than referencing src, which would make PostgreSQL materialise it.
const COUNTS = `select (select count(*) from ${STAGE_TABLE} where row_no between $1 and $2)::int as total,
                       count(*) filter (where inserted)::int as new, count(*) filter (where not inserted)::int as changed from up`;
// xmax is 0 on a freshly inserted row version and set on one that ON CONFLICT updated.
const INSERTED = `(t.xmax = 0) as inserted`;
const IN_CHUNK = `s.row_no between $1 and $2`;

export const KINDS: Record<ImportKind, KindSpec> = {
  customers: {
    checks: [
      duplicates(["customer_no"]),
      duplicates(["credit_code"]),
      {
        key: "rm_username",
        code: "ref.unknownRm",
        sql: `select s.row_no, jsonb_build_object('value', s.rm_username) as params from ${STAGE_TABLE} s
              where not exists (select 1 from users u where lower(u.username) = s.rm_username and ${ACTIVE_RM})`,
      },
      {
        key: "rm_username",
        code: "ref.rmNoBranch",
        sql: `select s.row_no, jsonb_build_object('value', s.rm_username) as params from ${STAGE_TABLE} s
              join users u on lower(u.username) = s.rm_username and ${ACTIVE_RM} where s.branch_code is null and u.branch_id is null`,
      },
      {
        key: "branch_code",
        code: "ref.unknownBranch",
        sql: `select s.row_no, jsonb_build_object('value', s.branch_code) as params from ${STAGE_TABLE} s
              where s.branch_code is not null and not exists (select 1 from branches b where b.code = s.branch_code)`,
      },
      {
        key: "credit_code",
        code: "conflict.creditCode",
        sql: `select s.row_no, jsonb_build_object('value', c.customer_no) as params
              from ${STAGE_TABLE} s join customers c on c.credit_code = s.credit_code::char(18) where c.customer_no <> s.customer_no`,
      },
    ],
    merge: `
      with src as (
        select s.customer_no, s.name, s.credit_code, s.legal_rep, s.registered_capital, s.industry_code, s.region,
               coalesce(b.id, u.branch_id) as branch_id, u.id as rm_id, s.onboarded_on
        from ${STAGE_TABLE} s
        join users u on lower(u.username) = s.rm_username and ${ACTIVE_RM}
        left join branches b on b.code = s.branch_code
        where ${IN_CHUNK}
      ), up as (
        insert into customers as t (customer_no, name, credit_code, legal_rep, registered_capital_fen, industry_code, region, branch_id, rm_id, onboarded_on)
        select * from src
        on conflict (customer_no) do update set
          name = excluded.name, credit_code = excluded.credit_code, legal_rep = excluded.legal_rep,
          registered_capital_fen = excluded.registered_capital_fen, industry_code = excluded.industry_code,
          region = excluded.region, branch_id = excluded.branch_id, rm_id = excluded.rm_id,
          onboarded_on = excluded.onboarded_on, updated_at = now()
        where (t.name, t.credit_code, t.legal_rep, t.registered_capital_fen, t.industry_code, t.region, t.branch_id, t.rm_id, t.onboarded_on)
          is distinct from (excluded.name, excluded.credit_code, excluded.legal_rep, excluded.registered_capital_fen, excluded.industry_code,
                            excluded.region, excluded.branch_id, excluded.rm_id, excluded.onboarded_on)
        returning ${INSERTED}
      ) ${COUNTS}`,
    touchesLoans: false,
  },
  applications: {
    checks: [duplicates(["application_no"]), unknownCustomer, customerMoved("applications", "application_no", "application_no")],
    merge: `
      with src as (
        select s.application_no, c.id as customer_id, s.product, s.amount, s.submitted_on, s.decided_on, s.status::application_status as status
        from ${STAGE_TABLE} s join customers c on c.customer_no = s.customer_no
        where ${IN_CHUNK}
      ), up as (
        insert into applications as t (application_no, customer_id, product, amount_fen, submitted_on, decided_on, status)
        select * from src
        on conflict (application_no) do update set
          product = excluded.product, amount_fen = excluded.amount_fen, submitted_on = excluded.submitted_on,
          decided_on = excluded.decided_on, status = excluded.status, updated_at = now()
        where (t.product, t.amount_fen, t.submitted_on, t.decided_on, t.status)
          is distinct from (excluded.product, excluded.amount_fen, excluded.submitted_on, excluded.decided_on, excluded.status)
        returning ${INSERTED}
      ) ${COUNTS}`,
    touchesLoans: false,
  },
  loans: {
    checks: [duplicates(["contract_no"]), unknownCustomer, customerMoved("loans", "contract_no", "contract_no")],
    merge: `
      with src as (
        select s.contract_no, c.id as customer_id, s.product, s.principal, s.annual_rate, s.term_months::smallint as term_months,
               s.method::repayment_method as method, s.disbursed_on, s.maturity_on
        from ${STAGE_TABLE} s join customers c on c.customer_no = s.customer_no
        where ${IN_CHUNK}
      ), up as (
        insert into loans as t (contract_no, customer_id, product, principal_fen, annual_rate, term_months, method, disbursed_on, maturity_on)
        select * from src
        on conflict (contract_no) do update set
          product = excluded.product, principal_fen = excluded.principal_fen, annual_rate = excluded.annual_rate,
          term_months = excluded.term_months, method = excluded.method, disbursed_on = excluded.disbursed_on,
          maturity_on = excluded.maturity_on, updated_at = now()
        where (t.product, t.principal_fen, t.annual_rate, t.term_months, t.method, t.disbursed_on, t.maturity_on)
          is distinct from (excluded.product, excluded.principal_fen, excluded.annual_rate, excluded.term_months, excluded.method,
                            excluded.disbursed_on, excluded.maturity_on)
        returning t.id as loan_id, ${INSERTED}
      ), affected as (
        insert into import_affected (loan_id) select distinct loan_id from up on conflict do nothing
      ) ${COUNTS}`,
    touchesLoans: true,
  },
  schedules: {
    checks: [duplicates(["contract_no", "installment_no"]), unknownLoan, beforeDisbursement("due_on")],
    merge: `
      with src as (
        select l.id as loan_id, s.installment_no::smallint as installment_no, s.due_on, s.principal_due, s.interest_due
        from ${STAGE_TABLE} s join loans l on l.contract_no = s.contract_no
        where ${IN_CHUNK}
      ), up as (
        insert into installments as t (loan_id, installment_no, due_on, principal_due_fen, interest_due_fen)
        select * from src
        on conflict (loan_id, installment_no) do update set
          due_on = excluded.due_on, principal_due_fen = excluded.principal_due_fen, interest_due_fen = excluded.interest_due_fen
        where (t.due_on, t.principal_due_fen, t.interest_due_fen) is distinct from (excluded.due_on, excluded.principal_due_fen, excluded.interest_due_fen)
        returning t.loan_id, ${INSERTED}
      ), affected as (
        insert into import_affected (loan_id) select distinct loan_id from up on conflict do nothing
      ) ${COUNTS}`,
    touchesLoans: true,
  },
  repayments: {
    checks: [
      duplicates(["external_id"], "external_id is not null"),
      unknownLoan,
      beforeDisbursement("paid_on"),
      {
        key: "external_id",
        code: "conflict.externalId",
        sql: `select s.row_no, jsonb_build_object('value', l.contract_no) as params
              from ${STAGE_TABLE} s join repayments r on r.external_id = s.external_id join loans l on l.id = r.loan_id
              where l.contract_no <> s.contract_no`,
      },
    ],
    // Rows without a transaction id get a content hash: the n-th identical (contract, date, amount) row of the
    // file is the n-th such payment, so re-importing the file finds the same ids (see repaymentContentHash).
    prepare: `
      update ${STAGE_TABLE} s
      set external_id = 'h:' || encode(sha256(convert_to(
            s.contract_no || '|' || to_char(s.paid_on, 'YYYY-MM-DD') || '|' || s.amount::text || '|' || o.occurrence::text, 'UTF8')), 'hex')
      from (select row_no, row_number() over (partition by contract_no, paid_on, amount order by row_no) as occurrence
            from ${STAGE_TABLE} where external_id is null) o
      where s.row_no = o.row_no`,
    merge: `
      with src as (
        select l.id as loan_id, s.paid_on, s.amount, 'file'::repayment_source as source, s.external_id
        from ${STAGE_TABLE} s join loans l on l.contract_no = s.contract_no
        where ${IN_CHUNK}
      ), up as (
        insert into repayments as t (loan_id, paid_on, amount_fen, source, external_id)
        select * from src
        on conflict (external_id) do update set paid_on = excluded.paid_on, amount_fen = excluded.amount_fen
        where (t.paid_on, t.amount_fen) is distinct from (excluded.paid_on, excluded.amount_fen)
        returning t.loan_id, ${INSERTED}
      ), affected as (
        insert into import_affected (loan_id) select distinct loan_id from up on conflict do nothing
      ) ${COUNTS}`,
    touchesLoans: true,
  },
};
