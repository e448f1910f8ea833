import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addMonths,
  annuityPaymentFen,
  buildSchedule,
  dayToIso,
  formatRateMicro,
  installmentAmounts,
  isoToDay,
  parseRateMicro,
  type RepaymentMethod,
} from "./schedule";

const METHODS: RepaymentMethod[] = ["equal_installment", "equal_principal", "interest_only", "bullet"];

describe("schedule maths", () => {
  it("pays a known annuity: 1,000,000 yuan at 4.35% over 12 months", () => {
    expect(annuityPaymentFen(100_000_000, 43_500, 12)).toBe(8_530_990);
    const s = installmentAmounts(100_000_000, 43_500, 12, "equal_installment");
    expect(s[0]).toEqual({ principalDueFen: 8_530_990 - 362_500, interestDueFen: 362_500 });
    expect(s.slice(0, 11).every((i) => i.principalDueFen + i.interestDueFen === 8_530_990)).toBe(true);
  });

  it("builds equal-principal, interest-only and bullet schedules", () => {
    const ep = installmentAmounts(1_000_001, 36_000, 3, "equal_principal");
    expect(ep.map((i) => i.principalDueFen)).toEqual([333_333, 333_333, 333_335]);
    expect(ep.map((i) => i.interestDueFen)).toEqual([3_000, 2_000, 1_000]);
    const io = installmentAmounts(1_200_000, 50_000, 3, "interest_only");
    expect(io).toEqual([
      { principalDueFen: 0, interestDueFen: 5_000 },
      { principalDueFen: 0, interestDueFen: 5_000 },
      { principalDueFen: 1_200_000, interestDueFen: 5_000 },
    ]);
    expect(installmentAmounts(100_000_000, 43_500, 12, "bullet")).toEqual([{ principalDueFen: 100_000_000, interestDueFen: 4_350_000 }]);
  });

  it("sums principal exactly for every method, term and rate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000_000_000 }),
        fc.integer({ min: 0, max: 240_000 }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom(...METHODS),
        (principal, rate, term, method) => {
          const s = installmentAmounts(principal, rate, term, method);
          expect(s).toHaveLength(method === "bullet" ? 1 : term);
          expect(s.reduce((sum, i) => sum + i.principalDueFen, 0)).toBe(principal);
          for (const i of s) {
            expect(Number.isSafeInteger(i.principalDueFen) && i.principalDueFen >= 0).toBe(true);
            expect(Number.isSafeInteger(i.interestDueFen) && i.interestDueFen >= 0).toBe(true);
          }
        },
      ),
    );
  });

  it("dates installments from the drawdown day, clamped to month ends", () => {
    const s = buildSchedule({ principalFen: 300_000, annualRate: "0.040000", termMonths: 3, method: "equal_principal", disbursedOn: "2024-01-31" });
    expect(s.map((i) => [i.installmentNo, i.dueOn])).toEqual([
      [1, "2024-02-29"],
      [2, "2024-03-31"],
      [3, "2024-04-30"],
    ]);
    const bullet = buildSchedule({ principalFen: 300_000, annualRate: "0.04", termMonths: 6, method: "bullet", disbursedOn: "2024-08-31" });
    expect(bullet.map((i) => i.dueOn)).toEqual(["2025-02-28"]);
    expect(addMonths("2025-03-31", -1)).toBe("2025-02-28");
    expect(() => addMonths("2025-02-30", 1)).toThrow(RangeError);
  });

  it("parses and formats rates without floats", () => {
    expect(parseRateMicro("0.0435")).toBe(43_500);
    expect(parseRateMicro("0.043500")).toBe(43_500);
    expect(formatRateMicro(43_500)).toBe("0.043500");
    expect(formatRateMicro(1_250_000)).toBe("1.250000");
    expect(() => parseRateMicro("4.35%")).toThrow(RangeError);
  });
});

describe("calendar", () => {
  it("round-trips every day of four centuries through day numbers", () => {
    const from = isoToDay("1900-01-01");
    const to = isoToDay("2300-12-31");
    let prev = "";
    const broken: number[] = [];
    for (let d = from; d <= to; d += 1) {
      const iso = dayToIso(d);
      if (iso <= prev || isoToDay(iso) !== d) broken.push(d);
      prev = iso;
    }
    expect(broken).toEqual([]);
    expect(isoToDay("1970-01-01")).toBe(0);
    expect(isoToDay("2024-03-01") - isoToDay("2024-02-28")).toBe(2);
    expect(() => isoToDay("2026-13-01")).toThrow(RangeError);
  });
});
