// Logs keep personal data out (security issue 11, finding 15): failing writes through the code paths that log
// unexpected errors — a route handler (route()/apiWrite), a server action (action()) and the worker runtime — with
// a customer's and a staff member's personal data as bound values, and the captured log is searched for it.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { csv, CUSTOMERS_HEADER, tempFiles, type Files } from "./fixtures/imports/kit";
import { sessionOf } from "./session-mock";
import { freshDb, redisUrl, testPrefix, type TestDb } from "./int-db";
import { buildScopeFixture, type ScopeFixture } from "./scope-fixture";

// Everything the app's logger writes lands here.
const captured = vi.hoisted(() => ({ lines: [] as string[], write(s: string) { captured.lines.push(s); } }));
vi.mock("@/lib/log", async (importOriginal) => {
  const m = await importOriginal<typeof import("@/lib/log")>();
  return { ...m, log: m.createLogger(captured) };
});
vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
const session = vi.hoisted(() => ({ uid: 0 }));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: () => sessionOf(session.uid) }));

// Distinctive enough that no other text in a log line contains them.
const NAME = "隐秘测试甲乙丙有限公司";
const LEGAL_REP = "欧阳保密";
const PHONE = "13987654321";
const STAFF = "保密职员司马";
const PERSONAL = [NAME, LEGAL_REP, PHONE, STAFF];

let t: TestDb;
let fx: ScopeFixture;
let files: Files;

beforeAll(async () => {
  t = await freshDb();
  process.env.DATABASE_URL = t.url;
  process.env.REDIS_URL ??= redisUrl();
  process.env.AUTH_SECRET = "x".repeat(40);
  fx = await buildScopeFixture(t.db);
  files = await tempFiles();
  session.uid = fx.userIds.admin!;
  // The seeded customer: its legal representative and phone are taken, so writes repeating them collide.
  const { customers } = await import("@/lib/db/schema");
  const { withCheckChar } = await import("@/lib/reference/creditCode");
  await t.db.insert(customers).values({
    customerNo: "CP1",
    name: "已有客户",
    creditCode: withCheckChar("91330100MA0000009"),
    legalRep: LEGAL_REP,
    registeredCapitalFen: 100_000_000,
    industryCode: "C36",
    region: "杭州",
    onboardedOn: "2024-01-01",
    contactPerson: LEGAL_REP,
    contactPhone: PHONE,
    branchId: fx.branchIds[0],
    rmId: fx.userIds.rm1!,
  });
  // Constraints the schema does not have, so that ordinary writes fail the way an unforeseen one would.
  await t.db.execute(sql.raw(`alter table customers add constraint cw_test_no_such_name check (name <> '${NAME}')`));
  await t.db.execute(sql.raw(`create unique index cw_test_one_legal_rep on customers (legal_rep) where customer_no like 'CP%'`));
  await t.db.execute(sql.raw(`alter table users add constraint cw_test_no_such_staff check (display_name <> '${STAFF}')`));
});

afterAll(async () => {
  const { db, closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await files?.cleanup();
  await t.drop();
});

const logged = () => captured.lines.join("");

function expectNoPersonalData(text: string) {
  for (const s of PERSONAL) expect(text, `the log contains ${s}`).not.toContain(s);
}

describe("logs of failed writes", () => {
  it("a route handler's unexpected database error is logged without the bound values", async () => {
    const route = await import("@/app/api/v1/customers/route");
    const { withCheckChar } = await import("@/lib/reference/creditCode");
    const before = captured.lines.length;
    const res = await route.POST(
      new Request("http://test/api/v1/customers", {
        method: "POST",
        headers: { authorization: `Bearer ${fx.tokens.admin}`, "content-type": "application/json", "idempotency-key": "log-redaction-1" },
        body: JSON.stringify({
          customer_no: "CP2",
          name: NAME,
          credit_code: withCheckChar("91330100MA0000010"),
          legal_rep: "王某",
          registered_capital: "1000000",
          industry_code: "C36",
          region: "杭州",
          rm_username: "rm1",
          onboarded_on: "2025-01-01",
          contact_person: LEGAL_REP,
          contact_phone: PHONE,
        }),
      }),
    );
    expect(res.status).toBe(500);
    const lines = captured.lines.slice(before).map((l) => JSON.parse(l) as { msg: string; err: { message: string; constraint_name?: string; cause?: { code?: string; constraint_name?: string } } });
    const entry = lines.find((l) => l.msg === "unhandled error in route");
    // What is needed to find the fault is still there: the failed statement, the SQLSTATE and the constraint.
    expect(entry?.err.message).toContain("Failed query: insert into \"customers\"");
    expect(entry?.err.cause).toMatchObject({ code: "23514", constraint_name: "cw_test_no_such_name" });
    expectNoPersonalData(captured.lines.slice(before).join(""));
  });

  it("a server action's unexpected database error is logged without the bound values", async () => {
    const { createUserAction } = await import("@/components/users/actions");
    const before = captured.lines.length;
    const r = await createUserAction({ username: "staff9", displayName: STAFF, role: "hr", password: "long-enough-pass" });
    expect(r).toMatchObject({ ok: false, error: { code: "internal" } });
    const text = captured.lines.slice(before).join("");
    expect(text).toContain("unhandled error in action");
    expect(text).toContain("cw_test_no_such_staff");
    expectNoPersonalData(text);
  });

  it("a worker job that fails on a unique violation logs, and records, no personal data", async () => {
    const { redisConnection } = await import("@/lib/pipeline/queues");
    const { openQueues } = await import("@/lib/registry");
    const { startWorkers } = await import("@/lib/pipeline/worker");
    const { createImport, enqueueImport } = await import("@/lib/imports/job");
    const { createLogger } = await import("@/lib/log");
    const { imports } = await import("@/lib/db/schema");
    const { withCheckChar } = await import("@/lib/reference/creditCode");
    const prefix = testPrefix();
    const queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
    const conn = redisConnection(redisUrl(), "worker");
    const workers = startWorkers({ connection: conn, prefix, db: t.db, log: createLogger(captured), concurrency: 1, queues, only: ["imports"] });
    try {
      const before = captured.lines.length;
      // A new customer whose legal representative repeats the seeded one's: the merge hits the unique index.
      const content = csv([CUSTOMERS_HEADER, ["CP3", "某某公司", withCheckChar("91330100MA0000011"), LEGAL_REP, "1,000,000", "C36", "杭州", "rm1", "2024-01-01", "B1"]]);
      const storedPath = await files.write("customers.csv", content);
      const id = await createImport(t.db, { kind: "customers", fileName: "customers.csv", fileBytes: Buffer.byteLength(content), storedPath, encoding: "auto", dryRun: false, userId: null });
      await enqueueImport(queues, id);
      await expect.poll(() => captured.lines.slice(before).some((l) => l.includes('"job failed"')), { timeout: 20_000 }).toBe(true);
      const [row] = await t.db.select({ status: imports.status, failure: imports.failure }).from(imports).where(eq(imports.id, id));
      expect(row?.status).toBe("failed");
      expect(row?.failure).toContain("cw_test_one_legal_rep");
      expectNoPersonalData(row?.failure ?? "");
      expectNoPersonalData(captured.lines.slice(before).join(""));
      // What BullMQ keeps of the failure (shown on the queue dashboard) is scrubbed too.
      const job = await queues.get("imports").getJob(`imports.run-${id}`);
      expect(job?.failedReason).toContain("cw_test_one_legal_rep");
      expectNoPersonalData(`${job?.failedReason} ${(job?.stacktrace ?? []).join("\n")}`);
    } finally {
      await workers.close();
      await queues.get("imports").obliterate({ force: true });
      await queues.close();
      await Promise.all([conn.quit(), queues.connection.quit()]);
    }
  });

  it("nothing logged in this file names the customer or the staff member", () => {
    expect(captured.lines.length).toBeGreaterThan(0);
    expectNoPersonalData(logged());
  });
});
