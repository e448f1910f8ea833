// The set-based scoring (scoresSql) against the scorecard library (scoreRow) on a crafted card and crafted rows: numeric
// ranges with a missing bin, a numeric feature without one, a boolean and a text category (an unseen and a blank value
// score the neutral points), equal gaps above best (ties go by feature name), fewer than three reasons.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { featureOf } from "../rules/features";
import type { Scorecard, ScorecardFeature } from "./scorecard";
import { scoreRow, scoresSql } from "./scoring";
import { toValue } from "./training-data";
import type { ModelMetrics } from "./versions";

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(async () => t?.drop());

const bin = (rule: ScorecardFeature["bins"][number]["rule"], points: number) => ({ rule, count: 10, events: 1, woe: 0, iv: 0, points });
const card: Scorecard = {
  version: 1,
  scaling: { baseScore: 600, baseOdds: 1 / 50, pdo: 20 },
  intercept: 0,
  training: { rows: 100, events: 10 },
  features: [
    {
      name: "dpd",
      kind: "numeric",
      iv: 0.3,
      coefficient: 1,
      neutralPoints: 100,
      bins: [bin({ kind: "missing" }, 130), bin({ kind: "range", lo: null, hi: 0 }, 90), bin({ kind: "range", lo: 0, hi: 30 }, 120), bin({ kind: "range", lo: 30, hi: null }, 150)],
    },
    {
      name: "outstanding_principal",
      kind: "numeric",
      iv: 0.1,
      coefficient: 1,
      neutralPoints: 105,
      bins: [bin({ kind: "range", lo: null, hi: 1234.5 }, 110), bin({ kind: "range", lo: 1234.5, hi: null }, 100)],
    },
    { name: "renewal_applied", kind: "categorical", iv: 0.1, coefficient: 1, neutralPoints: 95, bins: [bin({ kind: "categories", values: ["yes"] }, 90), bin({ kind: "categories", values: ["no"] }, 120)] },
    {
      name: "loan_status",
      kind: "categorical",
      iv: 0.1,
      coefficient: 1,
      neutralPoints: 101,
      bins: [bin({ kind: "categories", values: ["active"] }, 100), bin({ kind: "categories", values: ["defaulted", "written_off"] }, 130), bin({ kind: "missing" }, 115)],
    },
  ],
};
const metrics = { bands: { medium: 420, high: 460 } } as ModelMetrics;

// loan_id, dpd, outstanding_principal, renewal_applied, loan_status
const rows: [number, number | null, string | null, boolean | null, string | null][] = [
  [1, 0, "1234.51", true, "active"], // every feature in its best bin: no reasons
  [2, 45, "1234.50", false, "defaulted"], // all four above best (1234.50 is in the bin up to 1234.5); two tie at 30
  [3, null, null, null, null], // missing everywhere: the missing bins, else neutral
  [4, 12, "99999999.99", false, "matured"], // an unseen category: neutral; ties at 30 and 1
  [5, -3, "0.10", null, ""], // a blank category is missing
];

describe("set-based scoring", () => {
  it("gives every row the scorecard library's points, score, band and reasons", async () => {
    const pass = sql`(values ${sql.join(
      rows.map(([id, dpd, op, renewal, status]) => sql`(${id}::int, ${id}::int, ${dpd}::int, ${op}::numeric, ${renewal === null ? null : String(renewal)}::text::boolean, ${status}::text)`),
      sql`, `,
    )}) as v(loan_id, customer_id, dpd, outstanding_principal, renewal_applied, loan_status)`;
    const model = { scorecard: card, metrics };
    const got = await t.db.execute<{ loan_id: number; customer_id: number; score: number; band: string; points: number[]; reasons: unknown[] }>(
      sql`select * from (${scoresSql(model, sql`(select * from ${pass}) `)}) s order by loan_id`,
    );
    expect(got).toHaveLength(rows.length);
    for (const [i, [, dpd, op, renewal, status]] of rows.entries()) {
      const raw: Record<string, unknown> = { dpd, outstanding_principal: op, renewal_applied: renewal, loan_status: status };
      const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, toValue(featureOf(k)!.type, v)]));
      const { loan_id: _id, customer_id: _c, ...row } = got[i]!;
      expect(row).toEqual(scoreRow(model, values));
    }
    // The cases the rows were written for, spelled out.
    expect(got[0]!.reasons).toEqual([]);
    expect(got[1]!.reasons.map((r) => (r as { feature: string }).feature)).toEqual(["dpd", "loan_status", "renewal_applied"]);
    expect(got[2]!.points).toEqual([130, 105, 95, 115]);
    expect(got[3]!.points).toEqual([120, 100, 120, 101]);
    expect(got[4]!.points).toEqual([90, 110, 95, 115]);
  });
});
