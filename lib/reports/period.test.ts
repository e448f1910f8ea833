// The report's periods and the monthly draft's day on the PRC 2026 business calendar (holidays and 调休 workdays).
import { describe, expect, it } from "vitest";
import { PRC_2026 } from "../tasks/settings";
import { isFirstBusinessDay, monthBefore, previousPeriod } from "./period";

const cal = {
  tz: "Asia/Shanghai",
  holidays: new Set(PRC_2026.filter((d) => d.kind === "holiday").map((d) => d.day)),
  workdays: new Set(PRC_2026.filter((d) => d.kind === "workday").map((d) => d.day)),
};

describe("report periods", () => {
  it("names the period before a month, a quarter and a year", () => {
    expect(previousPeriod("2026-11")).toBe("2026-10");
    expect(previousPeriod("2026-01")).toBe("2025-12");
    expect(previousPeriod("2026-Q3")).toBe("2026-Q2");
    expect(previousPeriod("2026-Q1")).toBe("2025-Q4");
    expect(previousPeriod("2026")).toBe("2025");
    expect(() => previousPeriod("2026-13x")).toThrow();
    expect(monthBefore("2026-01-04")).toBe("2025-12");
  });
});

describe("the monthly draft's day", () => {
  const first = (month: string) => Array.from({ length: 28 }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`).filter((d) => isFirstBusinessDay(cal, d));
  it("is the first business day of each month, once", () => {
    // 1–2 January are holidays, Sunday the 4th is worked instead (调休).
    expect(first("2026-01")).toEqual(["2026-01-04"]);
    // 1 May holiday, a weekend, 4–5 May holidays.
    expect(first("2026-05")).toEqual(["2026-05-06"]);
    // National Day week.
    expect(first("2026-10")).toEqual(["2026-10-08"]);
    // 1 November is a Sunday.
    expect(first("2026-11")).toEqual(["2026-11-02"]);
    expect(first("2026-12")).toEqual(["2026-12-01"]);
  });
});
