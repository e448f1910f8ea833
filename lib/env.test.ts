import { describe, expect, it } from "vitest";
import { demoDataWanted, EnvError, oidcEnabled, parseEnv, parseWorkerEnv, refuseTestHooksInProduction, testHooksOn } from "./env";

const base = {
  DATABASE_URL: "postgres://u@127.0.0.1:5432/db",
  REDIS_URL: "redis://127.0.0.1:6379",
  AUTH_SECRET: "x".repeat(32),
};

describe("parseEnv", () => {
  it("applies defaults", () => {
    const e = parseEnv(base);
    expect(e.PORT).toBe(3000);
    expect(e.QUEUE_PREFIX).toBe("churnwatch");
    expect(e.SESSION_IDLE_HOURS).toBe(8);
    expect(e.SESSION_MAX_HOURS).toBe(12);
    expect(e.LOGIN_MAX_FAILURES).toBe(5);
    expect(e.LOGIN_MAX_DELAY_SECONDS).toBe(300);
    expect(e.TRUSTED_PROXIES).toBe("");
    expect(e.CHURNWATCH_TEST_HOOKS).toBe(false);
    expect(oidcEnabled(e)).toBe(false);
  });

  it("coerces numbers and booleans", () => {
    const e = parseEnv({ ...base, PORT: "8080", CHURNWATCH_TEST_HOOKS: "1", CHURNWATCH_DEMO: "false" });
    expect(e.PORT).toBe(8080);
    expect(e.CHURNWATCH_TEST_HOOKS).toBe(true);
    expect(e.CHURNWATCH_DEMO).toBe(false);
  });

  it("loads demo data by default only into the embedded database; a DATABASE_URL needs CHURNWATCH_DEMO=1", () => {
    expect(demoDataWanted(parseEnv(base), true)).toBe(true);
    expect(demoDataWanted(parseEnv(base), false)).toBe(false);
    expect(demoDataWanted(parseEnv({ ...base, CHURNWATCH_DEMO: "1" }), false)).toBe(true);
    expect(demoDataWanted(parseEnv({ ...base, CHURNWATCH_DEMO: "0" }), true)).toBe(false);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ ...base, PORT: "" }).PORT).toBe(3000);
  });

  it("names every bad variable", () => {
    try {
      parseEnv({ DATABASE_URL: "mysql://x", REDIS_URL: "redis://h", AUTH_SECRET: "short", PORT: "99999" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      const msg = (e as Error).message;
      expect(msg).toContain("DATABASE_URL");
      expect(msg).toContain("AUTH_SECRET");
      expect(msg).toContain("PORT");
      expect(msg).not.toContain("REDIS_URL");
    }
  });

  it("requires the OIDC settings together", () => {
    expect(() => parseEnv({ ...base, OIDC_ISSUER: "https://sso.bank.example" })).toThrow(/OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
    const e = parseEnv({ ...base, OIDC_ISSUER: "https://sso.bank.example", OIDC_CLIENT_ID: "cw", OIDC_CLIENT_SECRET: "s" });
    expect(oidcEnabled(e)).toBe(true);
  });

  it("rejects a queue prefix that could break Redis key patterns", () => {
    expect(() => parseEnv({ ...base, QUEUE_PREFIX: "a b*" })).toThrow(/QUEUE_PREFIX/);
  });

  it("checks TRUSTED_PROXIES and refuses the TRUSTED_PROXY_HOPS it replaces", () => {
    expect(parseEnv({ ...base, TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.1" }).TRUSTED_PROXIES).toBe("10.0.0.0/8, 192.0.2.1");
    expect(() => parseEnv({ ...base, TRUSTED_PROXIES: "10.0.0.0/8, lb.internal" })).toThrow(/TRUSTED_PROXIES: .*lb\.internal/);
    expect(() => parseEnv({ ...base, TRUSTED_PROXY_HOPS: "1" })).toThrow(/TRUSTED_PROXY_HOPS is replaced by TRUSTED_PROXIES/);
  });
});

describe("parseWorkerEnv", () => {
  it("starts a worker without AUTH_SECRET, which only the web process uses", () => {
    const { AUTH_SECRET: _unused, ...worker } = base;
    expect(() => parseEnv(worker)).toThrow(/AUTH_SECRET/);
    const e = parseWorkerEnv(worker);
    expect(e.WORKER_CONCURRENCY).toBe(4);
    expect(e.TZ_BUSINESS).toBe("Asia/Shanghai");
  });

  it("still names what a worker does need", () => {
    expect(() => parseWorkerEnv({ REDIS_URL: base.REDIS_URL })).toThrow(/DATABASE_URL/);
  });
});

describe("test hooks under NODE_ENV=production", () => {
  const hooks = { CHURNWATCH_TEST_HOOKS: "1", NODE_ENV: "production" } as const;

  it("are refused by the web's and the worker's env parsing", () => {
    expect(() => parseEnv({ ...base, ...hooks })).toThrow(/CHURNWATCH_TEST_HOOKS is for test runs only/);
    expect(() => parseWorkerEnv({ ...base, ...hooks })).toThrow(EnvError);
    expect(() => parseWorkerEnv({ ...base, ...hooks, CHURNWATCH_TEST_HOOKS: "TRUE" })).toThrow(EnvError);
  });

  it("are refused by the check the seed, the CLI and the clock call", () => {
    expect(() => refuseTestHooksInProduction(hooks)).toThrow(EnvError);
    expect(() => testHooksOn(hooks)).toThrow(EnvError);
  });

  it("stay available to test and development runs, and off when unset", () => {
    expect(parseEnv({ ...base, CHURNWATCH_TEST_HOOKS: "1", NODE_ENV: "test" }).CHURNWATCH_TEST_HOOKS).toBe(true);
    expect(testHooksOn({ CHURNWATCH_TEST_HOOKS: "yes" })).toBe(true);
    expect(testHooksOn({ NODE_ENV: "production" })).toBe(false);
    expect(testHooksOn({ NODE_ENV: "production", CHURNWATCH_TEST_HOOKS: "0" })).toBe(false);
    expect(parseEnv({ ...base, NODE_ENV: "production" }).CHURNWATCH_TEST_HOOKS).toBe(false);
  });
});
