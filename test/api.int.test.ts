// /api/v1 writes through the real route handlers and Postgres: idempotency replay and conflict, the 422 shape,
// scope (an RM token cannot post to another RM's loan → 404), the outbox row, and the loan read-back.
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDb, type TestDb } from "./int-db";
import { buildScopeFixture, type ScopeFixture } from "./scope-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

let t: TestDb;
let fx: ScopeFixture;
type Routes = {
  repayments: typeof import("@/app/api/v1/repayments/route");
  customers: typeof import("@/app/api/v1/customers/route");
  loans: typeof import("@/app/api/v1/loans/route");
  loan: typeof import("@/app/api/v1/loans/[contractNo]/route");
  openapi: typeof import("@/app/api/v1/openapi.json/route");
};
let r: Routes;

beforeAll(async () => {
  t = await freshDb();
  process.env.DATABASE_URL = t.url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.AUTH_SECRET = "x".repeat(40);
  fx = await buildScopeFixture(t.db);
  r = {
    repayments: await import("@/app/api/v1/repayments/route"),
    customers: await import("@/app/api/v1/customers/route"),
    loans: await import("@/app/api/v1/loans/route"),
    loan: await import("@/app/api/v1/loans/[contractNo]/route"),
    openapi: await import("@/app/api/v1/openapi.json/route"),
  };
});

afterAll(async () => {
  const { db, closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await t.drop();
});

let keySeq = 0;
function post(path: string, who: string, body: unknown, key: string | null = `key-${Date.now()}-${keySeq++}`): Request {
  const headers: Record<string, string> = { authorization: `Bearer ${fx.tokens[who]}`, "content-type": "application/json" };
  if (key) headers["idempotency-key"] = key;
  return new Request(`http://test${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function outboxRows() {
  const { outbox } = await import("@/lib/db/schema");
  return t.db.select().from(outbox).where(eq(outbox.topic, "loans.recompute"));
}

describe("POST /api/v1/repayments", () => {
  it("records a repayment, audits it and asks for the loan's state to be recomputed", async () => {
    const before = (await outboxRows()).length;
    const res = await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L1", paid_on: "2026-02-15", amount: "10,243.63", external_id: "CBS-0001" }));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ created: 1, duplicates: 0, items: [{ external_id: "CBS-0001", status: "created" }] });
    const { repayments, auditLog } = await import("@/lib/db/schema");
    const [rep] = await t.db.select().from(repayments).where(eq(repayments.externalId, "CBS-0001"));
    expect(rep).toMatchObject({ amountFen: 1_024_363, paidOn: "2026-02-15", source: "api" });
    const [a] = await t.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "repayment.create"), eq(auditLog.actorId, fx.userIds.feed!)));
    expect(a!.n).toBe(1);
    const rows = await outboxRows();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)!.payload).toMatchObject({ loanIds: [rep!.loanId] });
  });

  it("replays the first response for the same key and body, without writing again", async () => {
    const body = { items: [{ contract_no: "L1", paid_on: "2026-03-15", amount: 10243.63, external_id: "CBS-0002" }] };
    const first = await r.repayments.POST(post("/api/v1/repayments", "feed", body, "replay-key-1"));
    const second = await r.repayments.POST(post("/api/v1/repayments", "feed", body, "replay-key-1"));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    const { repayments } = await import("@/lib/db/schema");
    const [n] = await t.db.select({ n: count() }).from(repayments).where(eq(repayments.externalId, "CBS-0002"));
    expect(n!.n).toBe(1);
  });

  it("answers 409 when the same key comes with a different body", async () => {
    await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L1", paid_on: "2026-03-20", amount: "1.00", external_id: "CBS-0003" }, "reused-key-1"));
    const res = await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L1", paid_on: "2026-03-20", amount: "2.00", external_id: "CBS-0003" }, "reused-key-1"));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: "conflict" });
  });

  it("treats a re-sent transaction id with the same content as a duplicate, and with other content as 409", async () => {
    const same = await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L1", paid_on: "2026-02-15", amount: "10243.63", external_id: "CBS-0001" }));
    expect(await same.json()).toMatchObject({ created: 0, duplicates: 1, items: [{ status: "duplicate" }] });
    const other = await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L1", paid_on: "2026-02-16", amount: "10243.63", external_id: "CBS-0001" }));
    expect(other.status).toBe(409);
    expect((await other.json()).error.issues[0].field).toBe("items.0.external_id");
  });

  it("answers 422 with a field-by-field body, and writes nothing of the batch", async () => {
    const res = await r.repayments.POST(
      post("/api/v1/repayments", "admin", {
        items: [
          { contract_no: "L1", paid_on: "2026-04-15", amount: "100.00", external_id: "CBS-OK-1" },
          { contract_no: "L1", paid_on: "2026/13/01", amount: "-5", external_id: "CBS-BAD-1" },
          { contract_no: "L1", paid_on: "2026-04-15", amount: "1.005", external_id: "CBS-BAD-2", memo: "x" },
          { contract_no: "L1", paid_on: "2099-01-01", amount: "1.00" },
        ],
      }),
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe("invalid");
    const fields = body.error.issues.map((i: { field: string }) => i.field).sort();
    expect(fields).toEqual(["items.1.amount", "items.1.paid_on", "items.2.amount", "items.2.memo", "items.3.external_id"].sort());
    const byField = Object.fromEntries(body.error.issues.map((i: { field: string; code: string }) => [i.field, i.code]));
    expect(byField["items.1.amount"]).toBe("amount.negative");
    expect(byField["items.1.paid_on"]).toBe("date.invalid");
    expect(byField["items.2.amount"]).toBe("amount.precision");
    expect(byField["items.3.external_id"]).toBe("required");
    for (const i of body.error.issues) expect(i.message.length).toBeGreaterThan(3);
    const { repayments } = await import("@/lib/db/schema");
    const [n] = await t.db.select({ n: count() }).from(repayments).where(eq(repayments.externalId, "CBS-OK-1"));
    expect(n!.n).toBe(0);
  });

  it("refuses a repayment dated after today (the business date)", async () => {
    const res = await r.repayments.POST(post("/api/v1/repayments", "admin", { contract_no: "L1", paid_on: "2099-01-01", amount: "1.00", external_id: "CBS-FUT" }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.issues[0]).toMatchObject({ field: "items.0.paid_on", code: "date.afterAsOf" });
  });

  it("money writes belong to the integration account and admins: RMs, supervisors and HR get 403, even on their own loans (finding 4)", async () => {
    const { repayments } = await import("@/lib/db/schema");
    for (const [who, contract] of [["rm1", "L1"], ["sup1", "L2"], ["sup2", "L3"], ["hr1", "L1"]] as const) {
      const res = await r.repayments.POST(post("/api/v1/repayments", who, { contract_no: contract, paid_on: "2026-02-15", amount: "1.00", external_id: `CBS-R-${who}` }));
      expect(res.status, who).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
    expect(await t.db.select().from(repayments).where(sql`${repayments.externalId} like 'CBS-R-%'`)).toEqual([]);
    const feed = await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L3", paid_on: "2026-02-15", amount: "1.00", external_id: "CBS-R-feed" }));
    expect(feed.status).toBe(201);
    const admin = await r.repayments.POST(post("/api/v1/repayments", "admin", { contract_no: "L2", paid_on: "2026-02-15", amount: "1.00", external_id: "CBS-R-admin" }));
    expect(admin.status).toBe(201);
    const unknown = await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L999", paid_on: "2026-02-15", amount: "1.00", external_id: "CBS-X2" }));
    expect(unknown.status).toBe(404);
  });

  it("does not let HR write, and requires the Idempotency-Key header", async () => {
    const hr = await r.repayments.POST(post("/api/v1/repayments", "hr1", { contract_no: "L1", paid_on: "2026-02-15", amount: "1.00", external_id: "CBS-H" }));
    expect(hr.status).toBe(403);
    const nokey = await r.repayments.POST(post("/api/v1/repayments", "feed", { contract_no: "L1", paid_on: "2026-02-15", amount: "1.00", external_id: "CBS-N" }, null));
    expect(nokey.status).toBe(422);
    expect((await nokey.json()).error.issues[0].field).toBe("Idempotency-Key");
  });

  it("answers 422 for a body that is not JSON", async () => {
    const res = await r.repayments.POST(post("/api/v1/repayments", "feed", "{not json"));
    expect(res.status).toBe(422);
  });
});

describe("POST /api/v1/customers and /api/v1/loans", () => {
  const customer = {
    customer_no: "C100",
    name: "宁波新客户贸易有限公司",
    credit_code: "91330200MA0000100", // 17 characters: the tests add the check character
    legal_rep: "王五",
    registered_capital: "5000000",
    industry_code: "F51",
    region: "宁波市",
    rm_username: "rm3",
    onboarded_on: "2026-05-01",
  };

  it("lets the integration account register a customer for any RM, once; staff other than admins get 403 (finding 4)", async () => {
    const { withCheckChar } = await import("@/lib/reference/creditCode");
    const body = { ...customer, credit_code: withCheckChar(customer.credit_code) };
    for (const who of ["rm3", "sup2", "hr1"]) expect((await r.customers.POST(post("/api/v1/customers", who, body))).status, who).toBe(403);
    const ok = await r.customers.POST(post("/api/v1/customers", "feed", body));
    expect(ok.status).toBe(201);
    const dup = await r.customers.POST(post("/api/v1/customers", "feed", body));
    expect(dup.status).toBe(409);
  });

  it("answers 409, not 500, when two requests race to create the same customer", async () => {
    const { withCheckChar } = await import("@/lib/reference/creditCode");
    const body = { ...customer, customer_no: "C200", credit_code: withCheckChar("91330200MA0000200") };
    const [a, b] = await Promise.all([r.customers.POST(post("/api/v1/customers", "admin", body)), r.customers.POST(post("/api/v1/customers", "admin", body))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });

  it("books a customer into the branch named, or else the RM's", async () => {
    const { withCheckChar } = await import("@/lib/reference/creditCode");
    const body = { ...customer, customer_no: "C201", credit_code: withCheckChar("91330200MA0000201"), rm_username: "rm1", branch_code: "B9" };
    const res = await r.customers.POST(post("/api/v1/customers", "feed", body));
    expect(res.status).toBe(422);
    expect((await res.json()).error.issues[0]).toMatchObject({ field: "branch_code", code: "ref.unknownBranch" });
    const own = await r.customers.POST(post("/api/v1/customers", "feed", { ...body, branch_code: "B1" }));
    expect(own.status).toBe(201);
  });

  it("rejects a credit code with a wrong check character", async () => {
    const res = await r.customers.POST(post("/api/v1/customers", "admin", { ...customer, customer_no: "C101", credit_code: `${customer.credit_code}0` }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.issues[0]).toMatchObject({ field: "credit_code" });
  });

  it("creates a loan with the schedule its method implies, readable through GET with its state", async () => {
    const res = await r.loans.POST(
      post("/api/v1/loans", "feed", { contract_no: "L100", customer_no: "C100", product: "流动资金贷款", principal: "600000", annual_rate: "4.35%", term_months: 6, method: "equal_principal", disbursed_on: "2026-05-10" }),
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ contract_no: "L100", maturity_on: "2026-11-10", installments: 6 });
    const got = await r.loan.GET(new Request("http://test/api/v1/loans/L100", { headers: { authorization: `Bearer ${fx.tokens.rm3}` } }), { params: Promise.resolve({ contractNo: "L100" }) });
    expect(got.status).toBe(200);
    const detail = await got.json();
    expect(detail.loan).toMatchObject({ contractNo: "L100", annualRate: "0.043500", principalFen: 60_000_000 });
    expect(detail.schedule).toHaveLength(6);
    expect(detail.schedule.reduce((s: number, i: { principalDueFen: number }) => s + i.principalDueFen, 0)).toBe(60_000_000);
    const notMine = await r.loan.GET(new Request("http://test/api/v1/loans/L100", { headers: { authorization: `Bearer ${fx.tokens.rm1}` } }), { params: Promise.resolve({ contractNo: "L100" }) });
    expect(notMine.status).toBe(404);
  });

  it("refuses a loan with 403 to an RM even for their own customer, with 404 for an unknown customer, and a schedule that does not add up with 422", async () => {
    const own = await r.loans.POST(post("/api/v1/loans", "rm1", { contract_no: "L101", customer_no: "C1", product: "p", principal: "1000", annual_rate: "0.05", term_months: 1, method: "bullet", disbursed_on: "2026-01-01" }));
    expect(own.status).toBe(403);
    const other = await r.loans.POST(post("/api/v1/loans", "feed", { contract_no: "L101", customer_no: "C404", product: "p", principal: "1000", annual_rate: "0.05", term_months: 1, method: "bullet", disbursed_on: "2026-01-01" }));
    expect(other.status).toBe(404);
    const bad = await r.loans.POST(
      post("/api/v1/loans", "feed", {
        contract_no: "L102",
        customer_no: "C1",
        product: "p",
        principal: "1000",
        annual_rate: "0.05",
        term_months: 2,
        method: "equal_principal",
        disbursed_on: "2026-01-01",
        schedule: [
          { installment_no: 1, due_on: "2026-02-01", principal_due: "500", interest_due: "4.17" },
          { installment_no: 2, due_on: "2026-03-01", principal_due: "400", interest_due: "2.08" },
        ],
      }),
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.issues[0]).toMatchObject({ field: "schedule", code: "schedule.principalMismatch" });
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("describes every route with schemas generated from zod", async () => {
    const doc = await (await r.openapi.GET()).json();
    // Every route file under app/api/v1 (but the document itself) is described.
    const { readdirSync } = await import("node:fs");
    const routes = (readdirSync("app/api/v1", { recursive: true }) as string[])
      .filter((f) => f === "route.ts" || f.endsWith("/route.ts"))
      .map((f) => `/${f}`.replace(/\/?route\.ts$/, "").replace(/\[(\w+)\]/g, "{$1}"))
      .filter((p) => p !== "/openapi.json")
      .sort();
    expect(routes.length).toBeGreaterThan(10);
    expect(Object.keys(doc.paths).sort()).toEqual(routes);
    expect(doc.components.schemas.FollowUp.required).toEqual(expect.arrayContaining(["type", "notes"]));
    expect(doc.components.schemas.Repayment.required).toEqual(["contract_no", "paid_on", "amount", "external_id"]);
    expect(doc.paths["/repayments"].post.parameters[0].name).toBe("Idempotency-Key");
  });
});
