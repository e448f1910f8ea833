import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { backtest, BacktestTimeout, backtestDates } from "./backtest";
import { buildRuleQuery, type RuleLike } from "./compile";
import { BUILTIN_RULES, ensureReferenceRates } from "./library";
import { AS_OF, buildPortfolio } from "./test-portfolio";

let t: TestDb;
const ALL = { scope: { kind: "all", contact: true }, timeoutMs: 20_000 } as const;

beforeAll(async () => {
  t = await freshDb();
  await buildPortfolio(t.db);
  await ensureReferenceRates(t.db);
});
afterAll(async () => t?.drop());

const direct = async (rule: RuleLike, date: string) =>
  ((await t.db.execute(buildRuleQuery(rule, { kind: "all" }, date))) as unknown as { subject_key: string }[]).map((r) => String(r.subject_key)).sort();

describe("backtest preview", () => {
  it("daily up to 30 days, weekly beyond, always ending at as-of", () => {
    expect(backtestDates("2026-03-02", 3)).toEqual({ dates: ["2026-02-28", "2026-03-01", "2026-03-02"], step: 1 });
    const w = backtestDates(AS_OF, 90);
    expect(w.step).toBe(7);
    expect(w.dates).toHaveLength(13);
    expect(w.dates.at(-1)).toBe(AS_OF);
    expect(w.dates[0]).toBe("2026-04-07");
  });

  it("counts and the sample equal what the evaluation SQL returns for the same dates, for every built-in rule", async () => {
    let flaggedSomewhere = 0;
    for (const r of BUILTIN_RULES) {
      const rule = { subject: r.subject, condition: r.condition };
      const res = await backtest(t.db, rule, AS_OF, 14, ALL);
      expect(res.series).toHaveLength(14);
      for (const p of res.series) expect(p.count, `${r.code} on ${p.date}`).toBe((await direct(rule, p.date)).length);
      const today = await direct(rule, AS_OF);
      expect(res.today).toBe(today.length);
      expect(res.sample.map((s) => s.subjectKey).sort()).toEqual(today.slice(0, 20));
      flaggedSomewhere += res.today;
    }
    // The small portfolio is built so that several rules fire as of AS_OF.
    expect(flaggedSomewhere).toBeGreaterThan(0);
  });

  it("a sample row names the customer and, for loan rules, the contract", async () => {
    const res = await backtest(t.db, { subject: "loan", condition: { feature: "outstanding_principal", op: "ge", value: 0 } }, AS_OF, 1, ALL);
    expect(res.today).toBeGreaterThan(0);
    const s = res.sample[0]!;
    expect(s.customerNo).toMatch(/^C\d+$/);
    expect(s.customerName).toMatch(/^测试公司/);
    expect(s.contractNo).toBeTruthy();
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from loans`)) as unknown as [{ n: number }];
    expect(res.today).toBeLessThanOrEqual(n);
  });

  it("stops at its statement timeout with the backtest.timeout issue, and leaves the connection usable", async () => {
    const rule = { subject: "loan" as const, condition: { feature: "outstanding_principal", op: "ge", value: 0 } };
    const err = await backtest(t.db, rule, AS_OF, 90, { ...ALL, timeoutMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BacktestTimeout);
    expect((err as BacktestTimeout).code).toBe("unavailable");
    expect((err as BacktestTimeout).issues).toEqual([{ field: "condition", code: "backtest.timeout", params: { seconds: 1 } }]);
    // SET LOCAL ended with the transaction: the pool's connections keep no timeout.
    const [{ v }] = (await t.db.execute(sql`select current_setting('statement_timeout') as v`)) as unknown as [{ v: string }];
    expect(v).toBe("0");
  });
});
