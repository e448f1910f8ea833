// The signals command through the real CLI process (scripts/cli.ts): a process spawn, so an integration test.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("npm run cli -- signals", () => {
  it("is wired into the CLI, needs no database, and takes the note from stdin too", () => {
    const env = { ...process.env, DATABASE_URL: "" };
    const tsx = path.join(ROOT, "node_modules/.bin/tsx");
    const a = spawnSync(tsx, ["--conditions=react-server", "scripts/cli.ts", "signals", "Cash is very tight this month."], { cwd: ROOT, env, encoding: "utf8" });
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).signals[0]).toMatchObject({ signal: "cash_flow_stress", reasonFamily: "funding_chain", polarity: "risk", intensity: 1.5 });
    const b = spawnSync(tsx, ["--conditions=react-server", "scripts/cli.ts", "signals", "-"], { cwd: ROOT, env, encoding: "utf8", input: "企业订单大幅减少。" });
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).signals.map((s: { signal: string }) => s.signal)).toEqual(["business_contraction"]);
  }, 60_000);
});
