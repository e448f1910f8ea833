import { describe, expect, it } from "vitest";
import { fenToWan, formatDate, formatDateTime, formatRate, formatWan, formatYuan } from "./format";

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
