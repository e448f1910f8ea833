import { describe, expect, it } from "vitest";
import { monthEnds, monthsOf, periodOf, yearEarlier } from "./period";

describe("dashboard periods", () => {
  it("names months, quarters and years by their first and last day", () => {
    expect(periodOf("2024-02")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(periodOf("2026-Q4")).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(periodOf("2026-13")).toBeNull();
  });

  it("a year earlier is the same days one year back; 29 February becomes the 28th", () => {
    expect(yearEarlier({ from: "2026-11-01", to: "2026-12-07" })).toEqual({ from: "2025-11-01", to: "2025-12-07" });
    expect(yearEarlier({ from: "2024-02-01", to: "2024-02-29" })).toEqual({ from: "2023-02-01", to: "2023-02-28" });
  });

  it("lists every month a period touches, across a year's turn, partial months included", () => {
    expect(monthsOf({ from: "2025-11-15", to: "2026-02-03" })).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsOf({ from: "2026-12-01", to: "2026-12-07" })).toEqual(["2026-12"]);
  });

  it("month-ends run oldest first up to the period's month", () => {
    expect(monthEnds("2026-03-10", 3)).toEqual(["2026-01-31", "2026-02-28", "2026-03-31"]);
  });
});
