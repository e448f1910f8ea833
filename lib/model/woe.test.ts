import { describe, expect, it } from "vitest";
import { binIv, woe } from "./woe";

describe("weight of evidence", () => {
  it("is ln(event share / non-event share), by hand", () => {
    // 2 of 10 events and 8 of 90 non-events: ln(0.2 / 0.0889) = ln 2.25.
    expect(woe(2, 8, 10, 90, 0)).toBeCloseTo(Math.log(2.25), 12);
    expect(woe(2, 8, 10, 90, 0)).toBeCloseTo(0.810930, 6);
    // Smoothed by 0.5: ln((2.5 / 10) / (8.5 / 90)) = ln 2.647059.
    expect(woe(2, 8, 10, 90)).toBeCloseTo(0.973449, 6);
    // A bin with no events stays finite.
    expect(Number.isFinite(woe(0, 30, 10, 90))).toBe(true);
    expect(woe(0, 30, 10, 90)).toBeLessThan(0);
  });
  it("information value of a bin, by hand, and never negative", () => {
    // (0.2 − 0.088889) × 0.810930 = 0.111111 × 0.810930 = 0.090103.
    expect(binIv(2, 8, 10, 90, 0)).toBeCloseTo(0.090103, 6);
    expect(binIv(1, 45, 10, 90, 0)).toBeGreaterThan(0);
    expect(binIv(1, 9, 10, 90, 0)).toBe(0); // same share on both sides: no information
  });
  it("refuses a population without events", () => {
    expect(() => woe(0, 5, 0, 5)).toThrow(RangeError);
  });
});
