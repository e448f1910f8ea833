import { describe, expect, it } from "vitest";
import { bucketKey, classAt, dpdAt, dpdSeries, installmentStatuses, type InstallmentView } from "./view";

const row = (no: number, dueOn: string, paid: number, settledOn: string | null): InstallmentView => ({
  installmentNo: no,
  dueOn,
  principalDueFen: 1000,
  interestDueFen: 100,
  paidPrincipalFen: paid,
  paidInterestFen: 0,
  settledOn,
});

describe("installmentStatuses", () => {
  it("tells paid, paid late, overdue (with partial), due and upcoming apart", () => {
    const rows = [
      row(1, "2026-01-10", 1000, "2026-01-10"),
      row(2, "2026-02-10", 1000, "2026-02-15"),
      row(3, "2026-03-10", 400, null),
      row(4, "2026-04-10", 0, null),
      row(5, "2026-05-10", 200, null),
      row(6, "2026-06-10", 0, null),
    ];
    expect(installmentStatuses(rows, "2026-04-20")).toEqual([
      { status: "paid", partial: false, daysOverdue: 0 },
      { status: "paidLate", partial: false, daysOverdue: 0 },
      { status: "overdue", partial: true, daysOverdue: 41 },
      { status: "overdue", partial: false, daysOverdue: 10 },
      { status: "due", partial: true, daysOverdue: 0 },
      { status: "upcoming", partial: false, daysOverdue: 0 },
    ]);
  });

  it("is not overdue on its due date, only from the day after", () => {
    expect(installmentStatuses([row(1, "2026-01-10", 0, null)], "2026-01-10")[0]?.status).toBe("due");
    expect(installmentStatuses([row(1, "2026-01-10", 0, null)], "2026-01-11")[0]).toEqual({ status: "overdue", partial: false, daysOverdue: 1 });
  });

  it("tells a prepaid installment from one paid a few days early", () => {
    const rows = [row(1, "2026-03-10", 1000, "2026-03-05"), row(2, "2026-04-10", 1000, "2026-03-10"), row(3, "2026-05-10", 1000, "2026-03-10")];
    expect(installmentStatuses(rows, "2026-06-30").map((s) => s.status)).toEqual(["paid", "paid", "prepaid"]);
    expect(installmentStatuses([row(1, "2026-03-10", 1000, "2026-03-01"), row(2, "2026-04-10", 1000, "2026-03-11")], "2026-06-30").map((s) => s.status)).toEqual(["paid", "paid"]);
  });
});

describe("dpdSeries", () => {
  it("is a flat zero line in one normal band without history", () => {
    expect(dpdSeries({ disbursedOn: "2025-01-01", asOf: "2025-03-01", history: [], current: { dpd: 0, classification: "normal" } })).toEqual({
      dpd: [
        ["2025-01-01", 0],
        ["2025-03-01", 0],
      ],
      classes: [{ from: "2025-01-01", to: "2025-03-01", classification: "normal" }],
      maxDpd: 0,
    });
  });

  it("rises a day at a time, drops where a repayment cut it and runs on to as-of", () => {
    const s = dpdSeries({
      disbursedOn: "2025-07-14",
      asOf: "2025-12-31",
      history: [
        { changedOn: "2025-08-14", dpd: 1, classification: "special_mention" },
        { changedOn: "2025-08-21", dpd: 0, classification: "normal" },
        { changedOn: "2025-09-14", dpd: 1, classification: "special_mention" },
        { changedOn: "2025-10-14", dpd: 31, classification: "special_mention" },
        { changedOn: "2025-12-13", dpd: 91, classification: "substandard" },
      ],
      current: { dpd: 109, classification: "substandard" },
    });
    expect(s.dpd).toEqual([
      ["2025-07-14", 0],
      ["2025-08-13", 0],
      ["2025-08-21", 8],
      ["2025-08-21", 0],
      ["2025-09-13", 0],
      ["2025-12-31", 109],
    ]);
    expect(s.classes).toEqual([
      { from: "2025-07-14", to: "2025-08-14", classification: "normal" },
      { from: "2025-08-14", to: "2025-08-21", classification: "special_mention" },
      { from: "2025-08-21", to: "2025-09-14", classification: "normal" },
      { from: "2025-09-14", to: "2025-12-13", classification: "special_mention" },
      { from: "2025-12-13", to: "2025-12-31", classification: "substandard" },
    ]);
    expect(s.maxDpd).toBe(109);
  });

  it("keeps a partial cure (DPD down but not to zero) as a vertical step", () => {
    const s = dpdSeries({
      disbursedOn: "2025-01-01",
      asOf: "2025-04-01",
      history: [
        { changedOn: "2025-02-02", dpd: 1, classification: "special_mention" },
        { changedOn: "2025-03-04", dpd: 31, classification: "special_mention" },
        { changedOn: "2025-03-10", dpd: 8, classification: "special_mention" },
      ],
      current: { dpd: 30, classification: "special_mention" },
    });
    expect(s.dpd).toEqual([
      ["2025-01-01", 0],
      ["2025-02-01", 0],
      ["2025-03-10", 37],
      ["2025-03-10", 8],
      ["2025-04-01", 30],
    ]);
  });
});

describe("bucketKey", () => {
  it("makes catalogue-safe keys", () => {
    expect(["M0", "M1", "M4+"].map(bucketKey)).toEqual(["M0", "M1", "M4plus"]);
  });
});

describe("dpdAt / classAt", () => {
  const s = dpdSeries({
    disbursedOn: "2025-07-14",
    asOf: "2025-12-31",
    history: [
      { changedOn: "2025-08-14", dpd: 1, classification: "special_mention" },
      { changedOn: "2025-08-21", dpd: 0, classification: "normal" },
      { changedOn: "2025-09-14", dpd: 1, classification: "special_mention" },
      { changedOn: "2025-12-13", dpd: 91, classification: "substandard" },
    ],
    current: { dpd: 109, classification: "substandard" },
  });
  it("reads the line back day by day", () => {
    expect(["2025-07-01", "2025-08-13", "2025-08-20", "2025-08-21", "2025-09-14", "2025-12-12", "2025-12-31", "2026-01-05"].map((d) => dpdAt(s, d))).toEqual([
      0, 0, 7, 0, 1, 90, 109, 109,
    ]);
    expect(["2025-08-13", "2025-08-14", "2025-08-21", "2025-12-13"].map((d) => classAt(s, d))).toEqual(["normal", "special_mention", "normal", "substandard"]);
  });
});
