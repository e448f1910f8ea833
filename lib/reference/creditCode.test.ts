import { describe, expect, it } from "vitest";
import { checkCreditCode, creditCodeCheckChar, isValidCreditCode, withCheckChar } from "./creditCode";

// Published codes of well-known companies (from their business licences).
const REAL = ["91110000100006485K", "91440300708461136T", "914403001922038216"];

describe("unified social credit code", () => {
  it.each(REAL)("accepts the real code %s", (code) => {
    expect(checkCreditCode(code)).toBeNull();
  });

  it("accepts lower case and surrounding spaces", () => {
    expect(isValidCreditCode(" 91110000100006485k ")).toBe(true);
  });

  it("rejects a wrong check character", () => {
    expect(checkCreditCode("91110000100006485J")).toBe("checkDigit");
  });

  it("rejects a changed body digit (the check character catches single-digit errors)", () => {
    for (let pos = 0; pos < 17; pos++) {
      const code = REAL[0]!;
      const ch = code[pos]!;
      const swapped = ch === "1" ? "2" : "1";
      const mutated = code.slice(0, pos) + swapped + code.slice(pos + 1);
      expect(checkCreditCode(mutated), `position ${pos + 1}`).toBe("checkDigit");
    }
  });

  it("rejects wrong length and letters outside the alphabet", () => {
    expect(checkCreditCode("9111000010000648")).toBe("length");
    expect(checkCreditCode("9111000010000648512")).toBe("length");
    expect(checkCreditCode("91110000I00006485K")).toBe("charset"); // I is not used
    expect(checkCreditCode("91110000O00006485K")).toBe("charset"); // O is not used
  });

  it("computes check character 0 when the sum is a multiple of 31", () => {
    // Build a body whose weighted sum is 0 mod 31: all zeros.
    expect(creditCodeCheckChar("00000000000000000")).toBe("0");
    expect(isValidCreditCode(withCheckChar("91350100M000100Y4"))).toBe(true);
  });
});
