// The SLA clock's colours and wording units (components/tasks/sla.ts).
import { describe, expect, it } from "vitest";
import { durationParts, slaTone } from "@/components/tasks/sla";

const opened = "2026-11-30T00:00:00.000Z";
const due = "2026-12-04T00:00:00.000Z"; // a 96-hour window
const at = (iso: string) => Date.parse(iso);

describe("slaTone", () => {
  it("is ok with more than a quarter of the window left, late in the last quarter, overdue after the deadline", () => {
    expect(slaTone(at("2026-12-01T00:00:00Z"), opened, due)).toBe("ok");
    expect(slaTone(at("2026-12-03T00:00:00Z"), opened, due)).toBe("ok"); // exactly 25 % left
    expect(slaTone(at("2026-12-03T00:00:01Z"), opened, due)).toBe("late");
    expect(slaTone(at(due), opened, due)).toBe("late");
    expect(slaTone(at(due) + 1, opened, due)).toBe("overdue");
  });
  it("does not divide by an empty window", () => {
    expect(slaTone(at(opened) - 1000, opened, opened)).toBe("ok");
  });
});

describe("durationParts", () => {
  it("keeps the two largest units and ignores the sign", () => {
    expect(durationParts((2 * 1440 + 3 * 60 + 5) * 60_000)).toEqual({ key: "dh", values: { d: 2, h: 3 } });
    expect(durationParts(-2 * 86_400_000)).toEqual({ key: "d", values: { d: 2 } });
    expect(durationParts((3 * 60 + 20) * 60_000)).toEqual({ key: "hm", values: { h: 3, m: 20 } });
    expect(durationParts(3 * 3_600_000)).toEqual({ key: "h", values: { h: 3 } });
    expect(durationParts(59_999)).toEqual({ key: "m", values: { m: 0 } });
  });
});
