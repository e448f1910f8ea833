// Issue 11, finding 1: the rule backtest through its server action runs inside the caller's scope, is limited per
// user, and names the limit in the user's words.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sessionOf } from "./session-mock";
import { taskAppEnv, type TaskFixture } from "./task-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
const session = vi.hoisted(() => ({ uid: null as number | null }));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: () => sessionOf(session.uid) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const RATE = 4;
let fx: TaskFixture;
let close: () => Promise<void>;
let actions: typeof import("@/components/rules/actions");
const as = (who: string) => {
  session.uid = fx.userIds[who]!;
};
// Every loan with any principal left: all three customers' loans.
const everyLoan = { subject: "loan" as const, condition: { feature: "outstanding_principal", op: "ge", value: 0 } };

beforeAll(async () => {
  process.env.BACKTEST_RATE_PER_MINUTE = String(RATE);
  ({ fx, close } = await taskAppEnv());
  actions = await import("@/components/rules/actions");
});
afterAll(() => close());

describe("rule backtest action", () => {
  it("covers the whole bank for an admin and only the own branch for a supervisor", async () => {
    as("admin");
    const all = await actions.backtestRuleAction(everyLoan);
    if (!all.ok) throw new Error(JSON.stringify(all.error));
    expect(all.data.sample.map((s) => s.customerNo).sort()).toEqual(["C1", "C2", "C3"]);
    expect(all.data.today).toBe(3);
    as("sup1");
    const b1 = await actions.backtestRuleAction(everyLoan);
    if (!b1.ok) throw new Error(JSON.stringify(b1.error));
    expect(b1.data.sample.map((s) => s.customerNo).sort()).toEqual(["C1", "C2"]);
    expect(b1.data.today).toBe(2);
    expect(Math.max(...b1.data.series.map((p) => p.count))).toBeLessThanOrEqual(2);
    as("sup2");
    const b2 = await actions.backtestRuleAction(everyLoan);
    if (!b2.ok) throw new Error(JSON.stringify(b2.error));
    expect(b2.data.sample.map((s) => s.contractNo)).toEqual(["L3"]);
  });

  it("refuses RMs and HR", async () => {
    for (const who of ["rm1", "hr1"]) {
      as(who);
      expect(await actions.backtestRuleAction(everyLoan)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
  });

  it("answers a worded 'too many' issue past the per-user limit, without touching other users' share", async () => {
    as("sup2"); // one run used above
    for (let i = 1; i < RATE; i++) expect((await actions.backtestRuleAction(everyLoan)).ok).toBe(true);
    const over = await actions.backtestRuleAction(everyLoan);
    expect(over).toMatchObject({ ok: false, error: { code: "throttled", issues: [{ field: "condition", code: "backtest.tooMany" }] } });
    if (over.ok) return;
    expect(over.error.issues![0]!.message).toMatch(/^Too many backtests in a short time; try again in \d+ s\.$/);
    as("admin"); // one run used above
    expect((await actions.backtestRuleAction(everyLoan)).ok).toBe(true);
  });
});
