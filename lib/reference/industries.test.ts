import { describe, expect, it } from "vitest";
import { DIVISIONS, industryName, isValidIndustryCode, parseIndustryCode } from "./industries";

describe("GB/T 4754 industry codes", () => {
  it("accepts section + division, optionally with group/class digits", () => {
    expect(parseIndustryCode("C36")?.section.letter).toBe("C");
    expect(isValidIndustryCode("c3612")).toBe(true);
    expect(isValidIndustryCode("K70")).toBe(true);
  });
  it("rejects divisions outside their section and malformed codes", () => {
    expect(isValidIndustryCode("A13")).toBe(false); // 13 belongs to C
    expect(isValidIndustryCode("U01")).toBe(false);
    expect(isValidIndustryCode("C3")).toBe(false);
    expect(isValidIndustryCode("36")).toBe(false);
  });
  it("names every division the demo uses, in both languages", () => {
    for (const code of Object.keys(DIVISIONS)) {
      expect(isValidIndustryCode(code), code).toBe(true);
      expect(industryName(code, "zh-CN")).not.toBe(code);
      expect(industryName(code, "en")).not.toBe(code);
    }
    expect(industryName("C3612", "zh-CN")).toBe("汽车制造业");
  });
});
