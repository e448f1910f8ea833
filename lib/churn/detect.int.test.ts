import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { recomputeLoans } from "../loans/recompute";
import { detectChurn } from "./detect";
import { buildChurnPortfolio, CHURN_AS_OF, type ChurnPortfolio } from "./test-portfolio";

let t: TestDb;
let p: ChurnPortfolio;

type Ev = {
  id: number;
  subject_key: string;
  customer_id: number;
  kind: string;
  stage: string;
  will: string;
  reason_family: string | null;
  reason_inferred: boolean;
  effective_on: string;
  exposure_fen: number;
  principal_lost_fen: number;
  interest_lost_fen: number;
  interest_forgone_fen: number;
  status: string;
};

const events = () =>
  t.db.$client<Ev[]>`select id::int, subject_key, customer_id, kind::text, stage::text, will::text, reason_family::text, reason_inferred,
    effective_on::text, exposure_fen::bigint::float8 as exposure_fen, principal_lost_fen::float8 as principal_lost_fen,
    interest_lost_fen::float8 as interest_lost_fen, interest_forgone_fen::float8 as interest_forgone_fen, status::text
    from churn_events order by kind`;
const statusOf = async (id: number) => (await t.db.$client<{ status: string; churned_on: string | null; won_back_on: string | null }[]>`
  select status::text, churned_on::text, won_back_on::text from customers where id = ${id}`)[0]!;

beforeAll(async () => {
  t = await freshDb();
  p = await buildChurnPortfolio(t.db);
});
afterAll(async () => t?.drop());

describe("churn detection on a known portfolio", () => {
  it("detects each kind exactly once, with its day, will and inferred reason", async () => {
    const r = await detectChurn(t.db, { kind: "all" }, CHURN_AS_OF);
    expect(r).toMatchObject({ inserted: 9, amended: 0, removed: 0 });
    const ev = await events();
    const by = Object.fromEntries(ev.map((e) => [e.kind, e]));
    expect(ev.map((e) => e.kind).sort()).toEqual(
      ["application_rejected", "application_withdrawn", "approved_not_drawn", "prepaid_in_full", "large_partial_prepayment", "default", "terminated", "written_off", "matured_not_renewed"].sort(),
    );
    expect(by.application_rejected).toMatchObject({ subject_key: `application:${p.applications.rejected}`, effective_on: "2026-03-01", stage: "pre_loan", will: "involuntary", reason_family: "credit_risk" });
    expect(by.application_withdrawn).toMatchObject({ effective_on: "2026-06-20", will: "voluntary", reason_family: null });
    expect(by.approved_not_drawn).toMatchObject({ effective_on: "2026-05-31", exposure_fen: 80_000_000 });
    expect(by.prepaid_in_full).toMatchObject({ subject_key: `loan:${p.loans.prepaid}`, effective_on: "2026-03-20", reason_family: "service_competition", reason_inferred: true, principal_lost_fen: 0 });
    // Of the 600,000 fen beyond #4, #5 (the current installment) is paid early first; only the rest is prepaid.
    const i5 = p.schedules["CH-PARTIAL"]![4]!;
    expect(by.large_partial_prepayment).toMatchObject({ effective_on: "2026-05-15", exposure_fen: 600_000 - i5.principalDueFen - i5.interestDueFen, reason_family: "service_competition" });
    expect(by.default).toMatchObject({ subject_key: `loan:${p.loans.defaulted}`, effective_on: "2026-06-13", will: "involuntary", reason_family: "credit_risk", reason_inferred: true });
    expect(by.terminated).toMatchObject({ effective_on: "2026-04-30", reason_family: "credit_risk" });
    expect(by.written_off).toMatchObject({ effective_on: "2026-05-31" });
    expect(by.matured_not_renewed).toMatchObject({ effective_on: "2026-03-01", reason_family: null, interest_forgone_fen: 0 });
    for (const e of ev) expect(e.status).toBe("detected");
  });

  it("computes the amounts as the schedule and the payments say (independent of the detection's SQL)", async () => {
    const by = Object.fromEntries((await events()).map((e) => [e.kind, e]));
    const s = p.schedules["CH-DEFAULT"]!;
    // Default on 2026-06-13: #1 paid; #2–#5 due by then (02-15 … 05-15 due on or before; 06-15 not), nothing else paid.
    const dueBy = s.filter((i) => i.dueOn <= "2026-06-13");
    const after = s.filter((i) => i.dueOn > "2026-06-13");
    expect(by.default!.principal_lost_fen).toBe(1_200_000 - s[0]!.principalDueFen);
    expect(by.default!.interest_lost_fen).toBe(dueBy.reduce((a, i) => a + i.interestDueFen, 0) - s[0]!.interestDueFen);
    expect(by.default!.interest_forgone_fen).toBe(after.reduce((a, i) => a + i.interestDueFen, 0));
    // Prepaid in full on 2026-03-20: the principal left after #1–#2, and the scheduled interest due after that day.
    const pp = p.schedules["CH-PREPAID"]!;
    expect(by.prepaid_in_full!.exposure_fen).toBe(1_200_000 - pp[0]!.principalDueFen - pp[1]!.principalDueFen);
    expect(by.prepaid_in_full!.interest_forgone_fen).toBe(pp.filter((i) => i.dueOn > "2026-03-20").reduce((a, i) => a + i.interestDueFen, 0));
    // The partial: the prepaid principal × scheduled interest / scheduled principal after 2026-05-15.
    const pa = p.schedules["CH-PARTIAL"]!.filter((i) => i.dueOn > "2026-05-15");
    const ratio = pa.reduce((a, i) => a + i.interestDueFen, 0) / pa.reduce((a, i) => a + i.principalDueFen, 0);
    const prepaidFen = 600_000 - pa[0]!.principalDueFen - pa[0]!.interestDueFen;
    expect(by.large_partial_prepayment!.interest_forgone_fen).toBe(Math.round(prepaidFen * ratio));
  });

  it("marks customers whose last relationship ended as churned, and leaves the partial prepayer active", async () => {
    for (const k of ["pre", "prepaid", "defaulted", "terminated", "writtenOff", "matured"] as const) {
      expect((await statusOf(p.customers[k])).status, k).toBe("churned");
    }
    expect(await statusOf(p.customers.matured)).toMatchObject({ churned_on: "2026-03-01" });
    expect((await statusOf(p.customers.partial)).status).toBe("active");
  });

  it("adds nothing on a rerun, whole portfolio or event batch", async () => {
    const before = await events();
    expect(await detectChurn(t.db, { kind: "all" }, CHURN_AS_OF)).toEqual({ inserted: 0, amended: 0, removed: 0, churned: 0, wonBack: 0 });
    expect(await detectChurn(t.db, { kind: "loans", ids: Object.values(p.loans) }, CHURN_AS_OF)).toMatchObject({ inserted: 0, amended: 0, removed: 0 });
    expect(await detectChurn(t.db, { kind: "range", from: 1, to: 2_147_483_647 }, CHURN_AS_OF, { stages: ["post_loan"] })).toMatchObject({ inserted: 0, removed: 0 });
    expect(await events()).toEqual(before);
  });

  it("a run for an earlier day does not remove what only a later day shows", async () => {
    expect(await detectChurn(t.db, { kind: "all" }, "2026-04-01")).toMatchObject({ inserted: 0, removed: 0 });
    expect((await events()).length).toBe(9);
    // Customer status follows the latest run's day: back to the as-of date for the tests below.
    await detectChurn(t.db, { kind: "all" }, CHURN_AS_OF);
  });

  it("a backdated repayment that cures the default removes the event, says why, and undoes the customer's churn", async () => {
    const [d] = await t.db.$client<{ id: number }[]>`select id::int from churn_events where kind = 'default'`;
    const s = p.schedules["CH-DEFAULT"]!;
    const arrears = [1, 2, 3].reduce((a, k) => a + s[k]!.principalDueFen + s[k]!.interestDueFen, 0);
    // Paid on 2026-06-01 (78 days past due), recorded only now.
    await t.db.$client`insert into repayments (loan_id, paid_on, amount_fen, source, external_id)
      values (${p.loans.defaulted}, '2026-06-01', ${arrears + 50_000}, 'api', 'CH-DEFAULT-backdated')`;
    await recomputeLoans(t.db, [p.loans.defaulted], CHURN_AS_OF);
    const r = await detectChurn(t.db, { kind: "loans", ids: [p.loans.defaulted] }, CHURN_AS_OF);
    expect(r).toMatchObject({ inserted: 0, removed: 1 });
    expect((await events()).map((e) => e.kind)).not.toContain("default");
    const [change] = await t.db.$client<{ event_id: number; change: string; reason: string; kind: string; before: { effective_on: string } }[]>`
      select event_id::int, change, reason, kind::text, before from churn_event_changes`;
    expect(change).toMatchObject({ event_id: d!.id, change: "removed", reason: "backdated_repayment", kind: "default", before: { effective_on: "2026-06-13" } });
    expect(await statusOf(p.customers.defaulted)).toMatchObject({ status: "active", churned_on: null });
    expect(await detectChurn(t.db, { kind: "all" }, CHURN_AS_OF)).toEqual({ inserted: 0, amended: 0, removed: 0, churned: 0, wonBack: 0 });
  });

  it("a churned customer who draws again is won back", async () => {
    const id = await p.addLoan(p.customers.matured, "CH-MAT-2", "2026-06-20");
    const r = await detectChurn(t.db, { kind: "loans", ids: [id] }, CHURN_AS_OF);
    expect(r.wonBack).toBe(1);
    expect(await statusOf(p.customers.matured)).toEqual({ status: "active", churned_on: "2026-03-01", won_back_on: "2026-06-20" });
    // The matured-not-renewed event stays: the new loan came after the renewal window.
    expect((await events()).filter((e) => e.kind === "matured_not_renewed")).toHaveLength(1);
  });
});
