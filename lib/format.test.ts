import { describe, expect, it } from "vitest";
import { fenToScale, fenToWan, formatDate, formatDateTime, formatPercent, formatRate, formatWan, formatYuan, moneyScale, ratio } from "./format";

describe("format", () => {
  it("groups yuan with two decimals", () => {
    expect(formatYuan(123456789)).toBe("1,234,567.89");
    expect(formatYuan(0)).toBe("0.00");
  });
  it("expresses large totals in 万元", () => {
    expect(formatWan(5_000_000_000)).toBe("5,000.00");
    expect(fenToWan(123_456_789)).toBe(123.46);
  });
  it("shows rates as percentages", () => {
    expect(formatRate("0.043500")).toBe("4.35%");
  });
  it("keeps date columns and renders timestamps in Asia/Shanghai", () => {
    expect(formatDate("2025-01-31")).toBe("2025-01-31");
    expect(formatDate(new Date("2025-01-31T20:00:00Z"))).toBe("2025-02-01");
    expect(formatDateTime(new Date("2025-01-31T20:05:00Z"))).toBe("2025-02-01 04:05");
    expect(formatDate(null)).toBe("");
  });
});

describe("large amounts and shares", () => {
  it("counts in 万元 for Chinese and in millions for English", () => {
    expect(moneyScale("zh-CN").unit).toBe("wan");
    expect(fenToScale(1_234_567_890, "zh-CN")).toBe(1234.57);
    expect(moneyScale("en").unit).toBe("million");
    expect(fenToScale(1_234_567_890, "en")).toBe(12.35);
  });

  it("shows a share as a percentage and nothing to divide as a dash", () => {
    expect(formatPercent(0.01234)).toBe("1.2%");
    expect(formatPercent(null)).toBe("—");
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(0, 0)).toBeNull();
  });
});
