import { describe, expect, it } from "vitest";
import { completedMonthEnds } from "./snapshots";

describe("completed month-ends", () => {
  it("are the month-ends strictly before the date", () => {
    expect(completedMonthEnds("2026-12-07", 3)).toEqual(["2026-09-30", "2026-10-31", "2026-11-30"]);
    // On a month's last day that month is not complete yet.
    expect(completedMonthEnds("2026-11-30", 2)).toEqual(["2026-09-30", "2026-10-31"]);
  });
});
