import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { closeDb, type Db } from "../db/client";
import * as schema from "../db/schema";
import { seedDemo } from "../seed/load";
import { recomputeAll } from "./recompute";

const AS_OF = "2026-06-30";

let t: TestDb;
let dmy: Db;

// The demo load recomputes every loan as of AS_OF (on sessions with the server's default DateStyle, ISO); a second
// pool whose sessions render dates day-first (31/01/2026) then recomputes the same loans.
beforeAll(async () => {
  t = await freshDb();
  await seedDemo(t.db, { customers: 120, seed: 5, asOf: AS_OF });
  dmy = drizzle(postgres(t.url, { max: 2, onnotice: () => {}, connection: { DateStyle: "SQL, DMY" } }), { schema }) as Db;
});
afterAll(async () => {
  if (dmy) await closeDb(dmy);
  await t?.drop();
});

/** Every derived row, dates as ISO text: what a recompute wrote, whatever session wrote it. */
async function derivedChecksum(db: Db) {
  const [row] = await db.$client<{ state: string; installments: string; allocations: string; history: string }[]>`
    select
      (select md5(string_agg(concat_ws(',', loan_id, to_char(as_of, 'YYYY-MM-DD'), outstanding_principal_fen, penalty_fen, dpd, bucket, classification,
         settled, to_char(settled_on, 'YYYY-MM-DD'), to_char(next_due_on, 'YYYY-MM-DD'), to_char(last_paid_on, 'YYYY-MM-DD')), ';' order by loan_id)) from loan_state) as state,
      (select md5(string_agg(concat_ws(',', loan_id, installment_no, paid_principal_fen, paid_penalty_fen, penalty_accrued_fen,
         to_char(settled_on, 'YYYY-MM-DD')), ';' order by loan_id, installment_no)) from installment_state) as installments,
      (select md5(string_agg(concat_ws(',', repayment_id, installment_no, component, amount_fen), ';' order by repayment_id, installment_no, component)) from repayment_allocations) as allocations,
      (select md5(string_agg(concat_ws(',', loan_id, seq, to_char(changed_on, 'YYYY-MM-DD'), cause, dpd, bucket, classification, before, after), ';' order by loan_id, seq)) from loan_state_history) as history`;
  return row;
}

describe("recompute under a non-ISO DateStyle", () => {
  it("the session really renders dates day-first", async () => {
    const [row] = await dmy.$client<{ d: string }[]>`select '2026-01-31'::date::text as d`;
    expect(row!.d).toBe("31/01/2026");
  });

  it("a rerun on the same inputs writes nothing", async () => {
    const before = await derivedChecksum(t.db);
    const r = await recomputeAll(dmy, AS_OF);
    expect(r.loans).toBeGreaterThan(100);
    expect(r.changed).toBe(0);
    expect(await derivedChecksum(t.db)).toEqual(before);
  });

  it("what it writes for a new business day is what an ISO session writes, and an ISO rerun finds nothing to change", async () => {
    const next = "2026-07-20";
    const day = await recomputeAll(dmy, next);
    expect(day.changed).toBeGreaterThan(0);
    const written = await derivedChecksum(t.db);
    expect(await recomputeAll(t.db, next)).toMatchObject({ changed: 0 });
    expect(await derivedChecksum(t.db)).toEqual(written);
    // And back: the day-first session finds the ISO session's rows unchanged too.
    expect(await recomputeAll(dmy, next)).toMatchObject({ changed: 0 });
  });
});
