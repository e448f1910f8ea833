// Sessions end to end with real Postgres and the real Auth.js handlers: sign in and out through /api/auth, the proxy
// (proxy.ts) as every page request meets it, and an API route authenticated by the session cookie. Only Next's
// request-bound headers() is stubbed, with the headers of the request the test is making.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDb, type TestDb } from "./int-db";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, set: () => {} }) }));
vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));

const BASE = "http://localhost:3000";
const PASSWORD = "long-enough-pass";
let t: TestDb;
const ids: Record<string, number> = {};
type Mods = {
  handlers: typeof import("@/lib/auth/nextauth").handlers;
  proxy: (req: Request) => Promise<Response>;
  customers: typeof import("@/app/api/v1/customers/route");
  NextRequest: typeof import("next/server").NextRequest;
};
let m: Mods;

beforeAll(async () => {
  t = await freshDb();
  Object.assign(process.env, { DATABASE_URL: t.url, AUTH_SECRET: "s".repeat(40), SESSION_IDLE_HOURS: "8", SESSION_MAX_HOURS: "12", LOG_LEVEL: "warn" });
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  const { createUser } = await import("@/lib/users/service");
  for (const username of ["ivy", "jon", "kim", "lee", "max"]) {
    ids[username] = (await createUser(t.db, { kind: "system", name: "test" }, { username, displayName: username, role: "hr", password: PASSWORD })).id;
  }
  const { handlers } = await import("@/lib/auth/nextauth");
  const { proxy } = await import("@/proxy");
  m = { handlers, proxy: proxy as unknown as Mods["proxy"], customers: await import("@/app/api/v1/customers/route"), NextRequest: (await import("next/server")).NextRequest };
});

afterEach(() => vi.useRealTimers());

afterAll(async () => {
  const { db, closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await t.drop();
});

type Jar = Map<string, string>;
function keep(jar: Jar, res: Response): Jar {
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(";");
    const i = pair!.indexOf("=");
    const cleared = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0$/i.test(a));
    if (cleared) jar.delete(pair!.slice(0, i));
    else jar.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
  return jar;
}
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
const SESSION = "authjs.session-token";

// What Next sets on every request before the app sees it (the proxy derives the cookie names from the protocol).
const nextHeaders = (jar: Jar, extra: Record<string, string> = {}) => ({ cookie: cookieHeader(jar), host: "localhost:3000", "x-forwarded-proto": "http", ...extra });

async function csrf(jar: Jar): Promise<string> {
  const res = await m.handlers.GET(new m.NextRequest(`${BASE}/api/auth/csrf`, { headers: nextHeaders(jar) }));
  keep(jar, res);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

async function signIn(username: string, password = PASSWORD, extra: Record<string, string> = {}): Promise<Jar> {
  const jar: Jar = new Map();
  const body = new URLSearchParams({ csrfToken: await csrf(jar), username, password, callbackUrl: "/" });
  const res = await m.handlers.POST(
    new m.NextRequest(`${BASE}/api/auth/callback/credentials`, { method: "POST", headers: { ...nextHeaders(jar, extra), "content-type": "application/x-www-form-urlencoded" }, body }),
  );
  return keep(jar, res);
}

async function signOut(jar: Jar): Promise<void> {
  const body = new URLSearchParams({ csrfToken: await csrf(jar), callbackUrl: "/login" });
  keep(jar, await m.handlers.POST(new m.NextRequest(`${BASE}/api/auth/signout`, { method: "POST", headers: { ...nextHeaders(jar), "content-type": "application/x-www-form-urlencoded" }, body })));
}

/** A page request through the proxy: "in" when it lets the request through, "login" when it sends it to sign in. */
async function page(jar: Jar, path = "/hr"): Promise<"in" | "login"> {
  const res = await m.proxy(new m.NextRequest(`${BASE}${path}`, { headers: nextHeaders(jar) }));
  keep(jar, res);
  if (res.headers.get("x-middleware-next") === "1") return "in";
  expect(res.headers.get("location")).toMatch(/\/login\?callbackUrl=/);
  return "login";
}

/** An API call authenticated by the session cookie alone. */
async function api(jar: Jar): Promise<number> {
  request.headers = new Headers(nextHeaders(jar));
  const res = await m.customers.GET(new Request(`${BASE}/api/v1/customers`, { headers: nextHeaders(jar) }), { params: Promise.resolve({}) });
  return res.status;
}

describe("a signed-in session", () => {
  it("passes the proxy and the API", async () => {
    const jar = await signIn("ivy");
    expect(jar.get(SESSION)).toBeTruthy();
    expect(await page(jar)).toBe("in");
    expect(await api(jar)).toBe(200);
  });
});

describe("sign-out", () => {
  it("stops a copy of the cookie at the proxy (no re-issue) and at the API", async () => {
    const jar = await signIn("ivy");
    const copy: Jar = new Map(jar);
    await signOut(jar);
    expect(jar.get(SESSION)).toBeUndefined();
    expect(await api(copy)).toBe(401);
    const stolen = copy.get(SESSION);
    expect(await page(copy)).toBe("login");
    // The proxy cleared the cookie instead of re-issuing a fresh one.
    expect(copy.get(SESSION)).toBeUndefined();
    copy.set(SESSION, stolen!);
    expect(await page(copy)).toBe("login");
  });

  it("holds after the daily purge at the old 8-hour horizon, for as long as the session could live", async () => {
    const jar = await signIn("jon");
    const copy: Jar = new Map(jar);
    await signOut(jar);
    // The worker's daily sweep, run 9 hours later.
    const { registry } = await import("@/lib/registry");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 9 * 3600_000 });
    for (const name of ["auth.purgeFailedSignIns", "auth.purgeExpiredSessions"]) {
      const def = registry.jobs[name]!;
      await def.handle(def.schema.parse({}), { db: t.db } as Parameters<typeof def.handle>[1]);
    }
    vi.useRealTimers();
    expect(await api(copy)).toBe(401);
    expect(await page(copy)).toBe("login");
  });
});

describe("the absolute lifetime (SESSION_MAX_HOURS = 12)", () => {
  it("ends a session 12 hours after sign-in even when requests keep it alive", async () => {
    const start = Date.now();
    const jar = await signIn("kim");
    vi.useFakeTimers({ toFake: ["Date"], now: start + 7 * 3600_000 });
    expect(await page(jar)).toBe("in"); // re-issued: the idle expiry moves on, the absolute end does not
    vi.setSystemTime(start + 11.5 * 3600_000);
    expect(await page(jar)).toBe("in");
    expect(await api(jar)).toBe(200);
    vi.setSystemTime(start + 12 * 3600_000 + 60_000);
    expect(await api(jar)).toBe(401);
    expect(await page(jar)).toBe("login");
    expect(jar.get(SESSION)).toBeUndefined();
  });
});

describe("a deactivated user", () => {
  it("is refused at the next request, page and API alike", async () => {
    const jar = await signIn("lee");
    expect(await page(jar)).toBe("in");
    const { setUserActive } = await import("@/lib/users/service");
    await setUserActive(t.db, { kind: "system", name: "test" }, ids.lee!, false);
    expect(await api(jar)).toBe(401);
    expect(await page(jar)).toBe("login");
    await setUserActive(t.db, { kind: "system", name: "test" }, ids.lee!, true);
  });
});

describe("a password change", () => {
  it("ends the user's other sessions and keeps the one that made it", async () => {
    const here = await signIn("max");
    const elsewhere = await signIn("max");
    request.headers = new Headers(nextHeaders(here));
    const { currentSession } = await import("@/lib/auth/nextauth");
    const sid = (await currentSession())!.sid;
    const { changeOwnPassword } = await import("@/lib/users/service");
    await changeOwnPassword(t.db, { userId: ids.max!, sessionId: sid, ip: null }, PASSWORD, "another-long-pass", { freeFailures: 5, windowMinutes: 15, maxDelaySeconds: 300 });
    expect(await page(here)).toBe("in");
    expect(await api(here)).toBe(200);
    expect(await page(elsewhere)).toBe("login");
    expect(await api(elsewhere)).toBe(401);
  });
});

describe("the per-address sign-in throttle", () => {
  it("counts the socket's address, not a forged X-Forwarded-For", async () => {
    const { markPeerStamping, PEER_HEADER } = await import("@/lib/auth/client-address");
    markPeerStamping(); // what scripts/serve.ts does before it takes requests
    // One client guesses across accounts, claiming a new address each time.
    for (let i = 0; i < 5; i++) {
      const jar = await signIn(`nobody${i}`, "guess", { [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": `203.0.113.${i}` });
      expect(jar.get(SESSION)).toBeUndefined();
    }
    const fromThere = await signIn("ivy", PASSWORD, { [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": "203.0.113.99" });
    expect(fromThere.get(SESSION)).toBeUndefined();
    // Someone else, at another address, is not slowed.
    const elsewhere = await signIn("ivy", PASSWORD, { [PEER_HEADER]: "198.51.100.8", "x-forwarded-for": "203.0.113.7" });
    expect(elsewhere.get(SESSION)).toBeTruthy();
  });
});
