// Security issue 11, findings 10 and 11, through the real route handlers: over-size API bodies are refused with 413
// before they are read whole (declared or chunked), API tokens are rate-limited per token (429 with Retry-After),
// and cookie-authenticated writes must come from the app's own origin (bearer requests and reads are not affected).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionOf } from "./session-mock";
import { freshDb, testPrefix, type TestDb } from "./int-db";
import { buildScopeFixture, type ScopeFixture } from "./scope-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
// The signed-in browser user of the cookie tests; bearer requests never ask for it.
const session = vi.hoisted(() => ({ uid: null as number | null }));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: () => sessionOf(session.uid) }));

const RATE = 5;
const MB = 1024 * 1024;
let t: TestDb;
let fx: ScopeFixture;
const prefix = testPrefix();

beforeAll(async () => {
  t = await freshDb();
  process.env.DATABASE_URL = t.url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.AUTH_SECRET = "x".repeat(40);
  process.env.QUEUE_PREFIX = prefix;
  process.env.API_RATE_PER_MINUTE = String(RATE);
  fx = await buildScopeFixture(t.db);
  // The limiter counts in Redis once the app's connection is up (before that, in memory): start from Redis.
  const { appQueues } = await import("@/lib/http/queues");
  const conn = appQueues().connection;
  if (conn.status !== "ready") await new Promise((resolve) => conn.once("ready", resolve));
});

afterAll(async () => {
  const { appQueues } = await import("@/lib/http/queues");
  const conn = appQueues().connection;
  const keys = await conn.keys(`${prefix}:*`);
  if (keys.length) await conn.del(...keys);
  await appQueues().close();
  await conn.quit();
  const { db, closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await t.drop();
});

/** A body of `bytes` bytes that records how much of it was pulled. */
function countingBody(bytes: number, chunk = 64 * 1024) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (state.pulled >= bytes) return c.close();
      const n = Math.min(chunk, bytes - state.pulled);
      state.pulled += n;
      c.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  return { stream, state };
}

function bearerPost(path: string, who: string, body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(`http://app.test${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${fx.tokens[who]}`, "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

describe("request body limit (finding 10)", () => {
  it("refuses a declared Content-Length over 1 MB with 413 before reading any of it", async () => {
    const { POST } = await import("@/app/api/v1/repayments/route");
    const { stream, state } = countingBody(2 * MB);
    const res = await POST(bearerPost("/api/v1/repayments", "admin", stream, { "content-length": String(2 * MB), "idempotency-key": "too-large-declared" }));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toEqual({ code: "tooLarge", message: "The request body is too large: the limit is 1 MB." });
    // At most what the stream buffers ahead on its own: the handler read nothing.
    expect(state.pulled).toBeLessThanOrEqual(64 * 1024);
  });

  it("cuts off a chunked body (no Content-Length) once it passes 1 MB, and stores nothing under its key", async () => {
    const { POST } = await import("@/app/api/v1/customers/route");
    const { stream, state } = countingBody(8 * MB);
    const res = await POST(bearerPost("/api/v1/customers", "admin", stream, { "idempotency-key": "too-large-chunked" }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("tooLarge");
    expect(state.pulled).toBeLessThan(MB + 3 * 64 * 1024);
    const { idempotencyKeys } = await import("@/lib/db/schema");
    expect(await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, "too-large-chunked"))).toEqual([]);
  });

  it("accepts a body just under the limit, and limits the routes outside apiWrite too", async () => {
    const { POST } = await import("@/app/api/v1/repayments/route");
    // 1 MB of JSON that parses: the write is judged on its content (422), not its size.
    const padded = JSON.stringify({ items: [{ contract_no: "L1", paid_on: "2026-02-15", amount: "1.00", memo: "x".repeat(MB - 200) }] });
    expect(Buffer.byteLength(padded)).toBeLessThan(MB);
    const ok = await POST(bearerPost("/api/v1/repayments", "feed", padded, { "idempotency-key": "just-under-limit" }));
    expect(ok.status).toBe(422);
    const read = await import("@/app/api/v1/notifications/read/route");
    const big = await read.POST(bearerPost("/api/v1/notifications/read", "sup1", countingBody(2 * MB).stream), { params: Promise.resolve({}) });
    expect(big.status).toBe(413);
  });
});

describe("per-token rate limit (finding 10)", () => {
  const get = async (who: string) => {
    const { GET } = await import("@/app/api/v1/customers/route");
    return GET(new Request("http://app.test/api/v1/customers?pageSize=1", { headers: { authorization: `Bearer ${fx.tokens[who]}` } }), { params: Promise.resolve({}) });
  };

  it(`answers 429 with Retry-After past ${RATE} requests a minute of one token, and leaves other tokens alone`, async () => {
    for (let i = 0; i < RATE; i++) expect((await get("rm1")).status).toBe(200);
    const refused = await get("rm1");
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await refused.json()).error.code).toBe("throttled");
    expect((await get("rm2")).status).toBe(200);
  });

  it("counts in Redis, so every app instance shares the token's budget", async () => {
    const { hashToken } = await import("@/lib/auth/tokens");
    const { appQueues } = await import("@/lib/http/queues");
    expect(Number(await appQueues().connection.get(`${prefix}:api-rate:${hashToken(fx.tokens.rm1!)}`))).toBeGreaterThan(RATE);
  });
});

describe("cross-site writes with the session cookie (finding 11)", () => {
  const cookiePost = (path: string, headers: Record<string, string>, body = JSON.stringify({ all: true })) =>
    new Request(`http://127.0.0.1:3000${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const markRead = async (headers: Record<string, string>) => {
    const { POST } = await import("@/app/api/v1/notifications/read/route");
    return POST(cookiePost("/api/v1/notifications/read", headers), { params: Promise.resolve({}) });
  };

  beforeAll(() => {
    session.uid = fx.userIds.admin!;
  });
  afterAll(() => {
    session.uid = null;
  });

  it("refuses a write whose Origin is another site, and one that names no origin at all", async () => {
    const foreign = await markRead({ host: "127.0.0.1:3000", origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe("forbidden");
    expect((await markRead({ host: "127.0.0.1:3000", origin: "null" })).status).toBe(403);
    expect((await markRead({ host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await markRead({ host: "127.0.0.1:3000", "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await markRead({ host: "127.0.0.1:3000", referer: "https://evil.example/page" })).status).toBe(403);
    expect((await markRead({ host: "127.0.0.1:3000" })).status).toBe(403);
  });

  it("accepts the app's own pages: next start on 127.0.0.1, and behind a proxy that forwards the host", async () => {
    expect((await markRead({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).status).toBe(200);
    expect((await markRead({ host: "127.0.0.1:3000", "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await markRead({ host: "127.0.0.1:3000", referer: "http://127.0.0.1:3000/tasks" })).status).toBe(200);
    expect((await markRead({ host: "127.0.0.1:3000", "x-forwarded-host": "churn.bank.example", origin: "https://churn.bank.example" })).status).toBe(200);
  });

  it("guards the upload and the queue dashboard's actions too", async () => {
    const imports = await import("@/app/api/imports/route");
    const upload = await imports.POST(cookiePost("/api/imports", { host: "127.0.0.1:3000", origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x" }, "--x--\r\n"), { params: Promise.resolve({}) });
    expect(upload.status).toBe(403);
    const board = await import("@/app/admin/queues/[[...path]]/route");
    const action = await board.PUT(new Request("http://127.0.0.1:3000/admin/queues/api/queues/imports/pause", { method: "PUT", headers: { host: "127.0.0.1:3000", origin: "https://evil.example" } }));
    expect(action.status).toBe(403);
  });

  it("does not apply to reads, nor to bearer-token requests (a browser never sends a token by itself)", async () => {
    const list = await import("@/app/api/v1/notifications/route");
    const read = await list.GET(new Request("http://127.0.0.1:3000/api/v1/notifications", { headers: { host: "127.0.0.1:3000", origin: "https://evil.example" } }), { params: Promise.resolve({}) });
    expect(read.status).toBe(200);
    session.uid = null;
    const { POST } = await import("@/app/api/v1/notifications/read/route");
    const bearer = await POST(bearerPost("/api/v1/notifications/read", "admin", JSON.stringify({ all: true }), { origin: "https://evil.example" }), { params: Promise.resolve({}) });
    expect(bearer.status).toBe(200);
    session.uid = fx.userIds.admin!;
  });
});
