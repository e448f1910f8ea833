import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { verifyPassword } from "../auth/password";
import type { Db } from "../db/client";
import { DEMO_PASSWORD, summarizePortfolio } from "./generate";
import { seedDemo, SeedRefused, type SeedProgress } from "./load";

const OPTS = { customers: 200, seed: 42, asOf: "2026-06-30" };

async function counts(db: Db) {
  const [row] = await db.$client<Record<string, number>[]>`
    select (select count(*) from branches)::int as branches, (select count(*) from users)::int as users,
           (select count(*) from customers)::int as customers, (select count(*) from applications)::int as applications,
           (select count(*) from loans)::int as loans, (select count(*) from installments)::int as installments,
           (select count(*) from repayments)::int as repayments, (select count(*) from churn_truth)::int as churn_truth`;
  return row;
}

// Every stored column except timestamps and password hashes (argon2 salts are random by design).
async function checksum(db: Db) {
  const [row] = await db.$client`
    select
      (select md5(string_agg(t::text, ',' order by t.id)) from (select id, code, name, name_en, region from branches) t) as branches,
      (select md5(string_agg(t::text, ',' order by t.id)) from (select id, username, display_name, role, branch_id, active, email from users) t) as users,
      (select md5(string_agg(t::text, ',' order by t.id)) from (select id, customer_no, name, credit_code, legal_rep, registered_capital_fen,
         industry_code, region, branch_id, rm_id, onboarded_on, status, contact_person, contact_phone from customers) t) as customers,
      (select md5(string_agg(t::text, ',' order by t.id)) from (select id, application_no, customer_id, product, amount_fen, submitted_on,
         decided_on, status from applications) t) as applications,
      (select md5(string_agg(t::text, ',' order by t.id)) from (select id, contract_no, customer_id, application_id, product, principal_fen,
         annual_rate, term_months, method, disbursed_on, maturity_on, status, closed_on from loans) t) as loans,
      (select md5(string_agg(t::text, ',' order by t.loan_id, t.installment_no)) from installments t) as installments,
      (select md5(string_agg(t::text, ',' order by t.id)) from (select id, loan_id, paid_on, amount_fen, source, external_id from repayments) t) as repayments,
      (select md5(string_agg(t::text, ',' order by t.customer_id)) from churn_truth t) as churn_truth`;
  return row;
}

describe("seedDemo", () => {
  let a: TestDb;
  let b: TestDb;
  const progress: SeedProgress[] = [];

  beforeAll(async () => {
    [a, b] = await Promise.all([freshDb(), freshDb()]);
    await seedDemo(a.db, OPTS, (p) => progress.push(p));
  });
  afterAll(async () => {
    await Promise.all([a?.drop(), b?.drop()]);
  });

  it("writes exactly what the generator describes, with the same ids in every empty database", async () => {
    const expected = summarizePortfolio(OPTS);
    expect(await seedDemo(b.db, OPTS)).toEqual(expected);
    const { behaviours: _, ...rows } = expected;
    expect(await counts(a.db)).toEqual({ ...rows, churn_truth: OPTS.customers });
    const sumA = await checksum(a.db);
    expect(Object.values(sumA ?? {}).every((v) => typeof v === "string")).toBe(true);
    expect(await checksum(b.db)).toEqual(sumA);
    expect(progress).toContainEqual({ phase: "customers", done: OPTS.customers, total: OPTS.customers });
    expect(progress).toContainEqual({ phase: "analyze", done: 1, total: 1 });
    expect(progress).toContainEqual({ phase: "state", done: expected.loans, total: expected.loans });
    // Last, the loans' state: churn events come from the history (startDemoWork replays it week by week), not the load.
    expect(progress.at(-1)).toEqual({ phase: "state", done: expected.loans, total: expected.loans });
    expect(progress.some((p) => p.phase === "churn")).toBe(false);
  });

  it("records churn truth for every customer, the demo settings and one audit row", async () => {
    const [t] = await a.db.$client`
      select count(*)::int as n, count(distinct customer_id)::int as customers,
             count(*) filter (where churns)::int as churners,
             count(*) filter (where churns and loan_id is null and application_id is null)::int as unlinked
      from churn_truth`;
    expect(t).toMatchObject({ n: OPTS.customers, customers: OPTS.customers, unlinked: 0 });
    expect(t?.churners).toBeGreaterThan(0);
    const settings = await a.db.$client`select value from settings where key = 'demo.asOf'`;
    expect(settings).toEqual([{ value: { asOf: OPTS.asOf, seed: OPTS.seed, customers: OPTS.customers } }]);
    const audit = await a.db.$client`select actor_id, actor_kind, action from audit_log`;
    expect(audit).toEqual([{ actor_id: null, actor_kind: "system:seed", action: "seed.load" }]);
  });

  it("derives every loan's state at the demo date, agreeing with the generator on each loan's status", async () => {
    const [st] = await a.db.$client`
      select (select count(*) from loans)::int as loans, count(*)::int as states,
             count(*) filter (where as_of = ${OPTS.asOf}::date)::int as at_as_of,
             count(*) filter (where dpd > 90 and classification <> 'normal' and classification <> 'special_mention')::int as npl,
             count(*) filter (where settled)::int as settled
      from loan_state`;
    expect(st?.states).toBe(st?.loans);
    expect(st?.at_as_of).toBe(st?.loans);
    expect(st?.npl).toBeGreaterThan(0);
    const [mismatch] = await a.db.$client`
      select count(*)::int as n from loans l join loan_state s on s.loan_id = l.id
      where l.status in ('matured', 'prepaid') <> s.settled or (s.settled and l.closed_on <> s.settled_on)`;
    expect(mismatch?.n).toBe(0);
  });

  it("lets every demo user sign in with the demo password, and leaves identities ready for new rows", async () => {
    const users = await a.db.$client<{ username: string; password_hash: string }[]>`select username, password_hash from users order by id`;
    expect(users.slice(0, 4).map((u) => u.username)).toEqual(["admin", "admin2", "hr1", "hr2"]);
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(1);
    expect(await verifyPassword(users[0]?.password_hash ?? null, DEMO_PASSWORD)).toBe(true);
    const [branch] = await a.db.$client`insert into branches (code, name, name_en, region) values ('ZZ01', '测试分行', 'Test Branch', '测试') returning id`;
    expect(branch?.id).toBe(5);
    await a.db.$client`delete from branches where code = 'ZZ01'`;
  });

  it("refuses a database that already has data, and changes nothing", async () => {
    const before = await counts(a.db);
    await expect(seedDemo(a.db, { ...OPTS, seed: 7 })).rejects.toThrow(SeedRefused);
    await expect(seedDemo(a.db, { ...OPTS, seed: 7 })).rejects.toThrow(/not empty.*200 customers/);
    expect(await counts(a.db)).toEqual(before);
  });

  it("refuses when only users exist, and a failure halfway leaves nothing behind", async () => {
    const c = await freshDb();
    try {
      await c.db.$client`insert into users (username, display_name, role) values ('someone', '某人', 'admin')`;
      await expect(seedDemo(c.db, OPTS)).rejects.toThrow(SeedRefused);
      await c.db.$client`delete from users`;
      // The settings row is written last, after every COPY: a clash there must roll back the whole portfolio.
      await c.db.$client`insert into settings (key, value) values ('demo.asOf', '{}'::jsonb)`;
      await expect(seedDemo(c.db, OPTS)).rejects.toThrow(/duplicate key/);
      expect(await counts(c.db)).toEqual({ branches: 0, users: 0, customers: 0, applications: 0, loans: 0, installments: 0, repayments: 0, churn_truth: 0 });
    } finally {
      await c.drop();
    }
  });
});
