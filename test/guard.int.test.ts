// The guard with real Postgres: each role × a customer in and out of its scope, through the real route handlers,
// authenticated by bearer API tokens. Only the framework's request-bound helpers are stubbed.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDb, type TestDb } from "./int-db";
import { buildScopeFixture } from "./scope-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

let t: TestDb;
const tokens: Record<string, string> = {};
let routes: {
  one: typeof import("@/app/api/v1/customers/[customerNo]/route");
  list: typeof import("@/app/api/v1/customers/route");
};

beforeAll(async () => {
  t = await freshDb();
  process.env.DATABASE_URL = t.url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.AUTH_SECRET = "x".repeat(40);
  Object.assign(tokens, (await buildScopeFixture(t.db)).tokens);
  routes = {
    one: await import("@/app/api/v1/customers/[customerNo]/route"),
    list: await import("@/app/api/v1/customers/route"),
  };
});

afterAll(async () => {
  const { db } = await import("@/lib/db/client");
  const { closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await t.drop();
});

function get(path: string, token?: string): Request {
  return new Request(`http://test${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function fetchOne(who: string, customerNo: string) {
  return routes.one.GET(get(`/api/v1/customers/${customerNo}`, tokens[who]), { params: Promise.resolve({ customerNo }) });
}

// Who may open which customer: C1 (rm1, branch 1), C2 (rm2, branch 1), C3 (rm3, branch 2).
const matrix: [string, Record<string, 200 | 404>][] = [
  ["admin", { C1: 200, C2: 200, C3: 200 }],
  ["hr1", { C1: 200, C2: 200, C3: 200 }],
  ["sup1", { C1: 200, C2: 200, C3: 404 }],
  ["sup2", { C1: 404, C2: 404, C3: 200 }],
  ["rm1", { C1: 200, C2: 404, C3: 404 }],
  ["rm2", { C1: 404, C2: 200, C3: 404 }],
  ["rm3", { C1: 404, C2: 404, C3: 200 }],
];

describe("guard × scope on GET /api/v1/customers/{no}", () => {
  for (const [who, expected] of matrix) {
    for (const [customerNo, status] of Object.entries(expected)) {
      it(`${who} → ${customerNo}: ${status}`, async () => {
        const res = await fetchOne(who, customerNo);
        expect(res.status).toBe(status);
        if (status === 404) expect((await res.json()).error.code).toBe("notFound");
      });
    }
  }

  it("answers 404 for a customer that does not exist, the same as out of scope", async () => {
    const res = await fetchOne("admin", "NOPE");
    expect(res.status).toBe(404);
  });

  it("hides contact data from HR but not from the owning RM", async () => {
    const hr = await (await fetchOne("hr1", "C1")).json();
    expect(hr.customer).not.toHaveProperty("contactPhone");
    expect(hr.customer).not.toHaveProperty("contactPerson");
    expect(hr.customer.name).toBe("一号公司");
    const rm = await (await fetchOne("rm1", "C1")).json();
    expect(rm.customer.contactPhone).toBe("13800000000");
  });

  it("answers 401 without a token or session, and for a revoked or unknown token", async () => {
    const res = await routes.one.GET(get("/api/v1/customers/C1"), { params: Promise.resolve({ customerNo: "C1" }) });
    expect(res.status).toBe(401);
    const bad = await routes.one.GET(get("/api/v1/customers/C1", "cw_nope_nope"), { params: Promise.resolve({ customerNo: "C1" }) });
    expect(bad.status).toBe(401);
  });

  it("answers 401 for an expired token", async () => {
    const { sql } = await import("drizzle-orm");
    const { hashToken } = await import("@/lib/auth/tokens");
    const expire = (at: string) => t.db.execute(sql`update api_tokens set expires_at = ${at}::timestamptz where token_hash = ${hashToken(tokens.rm2!)}`);
    await expire("2000-01-01T00:00:00Z");
    expect((await fetchOne("rm2", "C2")).status).toBe(401);
    await expire("2999-01-01T00:00:00Z");
    expect((await fetchOne("rm2", "C2")).status).toBe(200);
  });

  it("stops a deactivated user's token at once", async () => {
    const { setUserActive } = await import("@/lib/users/service");
    const { users } = await import("@/lib/db/schema");
    const { eq } = await import("drizzle-orm");
    const [u] = await t.db.select().from(users).where(eq(users.username, "rm3"));
    await setUserActive(t.db, { kind: "system", name: "test" }, u!.id, false);
    expect((await fetchOne("rm3", "C3")).status).toBe(401);
    await setUserActive(t.db, { kind: "system", name: "test" }, u!.id, true);
    expect((await fetchOne("rm3", "C3")).status).toBe(200);
  });
});

describe("guard × scope on GET /api/v1/customers (list)", () => {
  const listed = async (who: string) => {
    const res = await routes.list.GET(get("/api/v1/customers?pageSize=50", tokens[who]), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: { customerNo: string }[]; total: number };
    return body.rows.map((r) => r.customerNo).sort();
  };
  it("lists exactly the scope", async () => {
    expect(await listed("admin")).toEqual(["C1", "C2", "C3"]);
    expect(await listed("sup1")).toEqual(["C1", "C2"]);
    expect(await listed("rm1")).toEqual(["C1"]);
    expect(await listed("rm3")).toEqual(["C3"]);
  });
  it("cannot widen the scope with filters", async () => {
    const res = await routes.list.GET(get("/api/v1/customers?q=%E4%B8%89", tokens.rm1), { params: Promise.resolve({}) });
    expect(((await res.json()) as { total: number }).total).toBe(0);
  });
  it("rejects malformed query parameters with 422 naming the field", async () => {
    const res = await routes.list.GET(get("/api/v1/customers?pageSize=5000", tokens.admin), { params: Promise.resolve({}) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { issues: { field: string }[] } };
    expect(body.error.issues[0]!.field).toBe("pageSize");
  });
});
