// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-symbol alphabet
// (no I, O, Z, S, V), the last one a mod-31 check character over the first 17.
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = "length" | "charset" | "checkDigit";

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i] ?? "");
    if (v < 0) throw new Error(`invalid character at position ${i + 1}`);
    sum += v * (WEIGHTS[i] as number);
  }
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET[check] as string;
}

export function checkCreditCode(raw: string): CreditCodeProblem | null {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return "length";
  for (const ch of code) if (!ALPHABET.includes(ch)) return "charset";
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : "checkDigit";
}

export function isValidCreditCode(raw: string): boolean {
  return checkCreditCode(raw) === null;
}

/** Builds a valid code from 17 leading characters (used by the demo generator). */
export function withCheckChar(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}
