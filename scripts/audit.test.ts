import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { advisoriesOf, allowlistSchema, auditFailure, judge, type Allowlist } from "./audit";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8")) as unknown;
// A report in npm's format (auditReportVersion 2): two advisories reached through several packages each.
const report = fixture("npm-audit-report.json");
const TODAY = "2026-12-07";
const entry = (pkg: string, expires = "2027-06-30") => ({ package: pkg, reason: "test entry: the vulnerable code path is never reached", expires });

describe("npm audit against the allowlist", () => {
  it("collects each advisory once, by GHSA id, from the packages' `via` lists", () => {
    expect(advisoriesOf(report).map((a) => [a.id, a.package, a.severity])).toEqual([
      ["GHSA-52f5-9888-hmc6", "tmp", "low"],
      ["GHSA-pxg6-pf52-xh8x", "cookie", "low"],
    ]);
  });

  it("fails on an advisory the allowlist does not name, and passes once it does", () => {
    const one: Allowlist = { advisories: { "GHSA-52f5-9888-hmc6": entry("tmp") } };
    expect(judge(advisoriesOf(report), one, TODAY)).toMatchObject({ unexpected: [{ id: "GHSA-pxg6-pf52-xh8x" }], expired: [], stale: [] });
    const both: Allowlist = { advisories: { ...one.advisories, "GHSA-pxg6-pf52-xh8x": entry("cookie") } };
    expect(judge(advisoriesOf(report), both, TODAY)).toEqual({ unexpected: [], expired: [], stale: [] });
  });

  it("fails on an entry past its expiry, and on one the audit no longer reports (so the list does not rot)", () => {
    const list: Allowlist = {
      advisories: { "GHSA-52f5-9888-hmc6": entry("tmp", "2026-12-06"), "GHSA-pxg6-pf52-xh8x": entry("cookie"), "GHSA-xxxx-xxxx-xxxx": entry("gone") },
    };
    expect(judge(advisoriesOf(report), list, TODAY)).toEqual({ unexpected: [], expired: ["GHSA-52f5-9888-hmc6"], stale: ["GHSA-xxxx-xxxx-xxxx"] });
    expect(judge([], { advisories: { "GHSA-pxg6-pf52-xh8x": entry("cookie") } }, TODAY).stale).toEqual(["GHSA-pxg6-pf52-xh8x"]);
  });

  it("tells a report from npm's answer when the advisory service refused (a recorded refusal, its host replaced)", () => {
    expect(auditFailure(report)).toBeNull();
    expect(auditFailure(fixture("npm-audit-405.json"))).toMatch(/^405 Method Not Allowed/);
  });

  it("requires a reason and an expiry date for every allowlist entry, and the committed allowlist is valid", () => {
    expect(allowlistSchema.safeParse({ advisories: { "GHSA-52f5-9888-hmc6": { package: "tmp", reason: "ok", expires: "2027-01-01" } } }).success).toBe(false);
    expect(allowlistSchema.safeParse({ advisories: { "GHSA-52f5-9888-hmc6": { package: "tmp", reason: "long enough reason to pass", expires: "soon" } } }).success).toBe(false);
    expect(allowlistSchema.safeParse(JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "audit-allowlist.json"), "utf8"))).success).toBe(true);
  });
});
