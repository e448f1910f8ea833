import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withCheckChar } from "../reference/creditCode";
import {
  parseAmountFen,
  parseCreditCode,
  parseDate,
  parseEnum,
  parseId,
  parseIndustryCode,
  parseInteger,
  parseRate,
  parseText,
  parseUsername,
  type Parsed,
} from "./values";

const value = <T>(p: Parsed<T>) => (p.ok ? p.value : `!${p.code}`);

describe("parseDate", () => {
  it.each([
    ["2026-03-01", "2026-03-01"],
    ["2026/3/1", "2026-03-01"],
    ["2026/03/01", "2026-03-01"],
    ["20260301", "2026-03-01"],
    ["2026-3-1", "2026-03-01"],
    ["2026年3月1日", "2026-03-01"],
    [" 2024-02-29 ", "2024-02-29"],
  ])("reads %s", (raw, iso) => expect(value(parseDate(raw))).toBe(iso));

  it.each(["2026-02-30", "2025-02-29", "03/01/2026", "1/3/2026", "2026-13-01", "46082", "2026-03-01 10:00", "yesterday", "2026.03.01"])(
    "refuses %s",
    (raw) => expect(parseDate(raw)).toEqual({ ok: false, code: "date.invalid", params: { value: raw } }),
  );

  it("reads Excel serial numbers (XLSX cells), including the 1900 leap-year quirk", () => {
    expect(value(parseDate(46082))).toBe("2026-03-01");
    expect(value(parseDate(1))).toBe("1900-01-01");
    expect(value(parseDate(59))).toBe("1900-02-28");
    expect(value(parseDate(61))).toBe("1900-03-01");
    expect(value(parseDate(60))).toBe("!date.invalid");
    expect(value(parseDate(46082.5))).toBe("!date.invalid");
    expect(value(parseDate(0))).toBe("!date.invalid");
  });

  it("reads date cells at UTC midnight and refuses ones with a time of day", () => {
    expect(value(parseDate(new Date(Date.UTC(2026, 2, 1))))).toBe("2026-03-01");
    expect(value(parseDate(new Date(Date.UTC(2026, 2, 1, 9, 30))))).toBe("!date.invalid");
  });

  it("refuses formula and error cells", () => {
    expect(value(parseDate({ kind: "formula", formula: "TODAY()" }))).toBe("!formula");
    expect(parseDate({ kind: "error", text: "#N/A" })).toEqual({ ok: false, code: "cell.error", params: { value: "#N/A" } });
  });
});

describe("parseAmountFen", () => {
  const fen = (raw: string | number, allowZero = false) => value(parseAmountFen(raw, { allowZero }));

  it.each<[string | number, number]>([
    ["1234.56", 123456],
    ["1,234.56", 123456],
    ["¥1,234.56", 123456],
    ["￥1,234.56", 123456],
    ["CNY 1,234.56", 123456],
    ["1e+05", 10_000_000],
    ["1.5E3", 150_000],
    ["12,345,678.9", 1_234_567_890],
    ["0.01", 1],
    [".5", 50],
    ["+7", 700],
    ["00012.30", 1230],
    [1234.56, 123456],
    [19.99, 1999],
    [0.1 + 0.2, 30],
  ])("reads %s as %i fen", (raw, expected) => expect(fen(raw)).toBe(expected));

  it.each([
    ["-5", "!amount.negative"],
    ["-¥5", "!amount.negative"],
    ["¥-5", "!amount.negative"],
    ["(1,234.56)", "!amount.negative"],
    ["1.234", "!amount.precision"],
    ["1e-3", "!amount.precision"],
    ["abc", "!amount.invalid"],
    ["1,23", "!amount.invalid"],
    ["12,34.5", "!amount.invalid"],
    ["1.2.3", "!amount.invalid"],
    ["", "!required"],
    ["1 234", "!amount.invalid"],
    ["0", "!amount.zero"],
    ["99999999999999999", "!amount.tooLarge"],
    ["1e20", "!amount.tooLarge"],
  ])("refuses %s (%s)", (raw, code) => expect(fen(raw)).toBe(code));

  it("accepts zero where allowed", () => expect(fen("0.00", true)).toBe(0));

  it("round-trips every fen amount written with separators, with ¥, and as a spreadsheet number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000_000 }), (n) => {
        const yuan = `${Math.floor(n / 100).toLocaleString("en-US")}.${String(n % 100).padStart(2, "0")}`;
        expect(fen(yuan)).toBe(n);
        expect(fen(`¥${yuan}`)).toBe(n);
        expect(fen(n / 100)).toBe(n);
      }),
    );
  });
});

describe("parseRate", () => {
  it.each<[string | number, string]>([
    ["0.0435", "0.043500"],
    ["4.35%", "0.043500"],
    ["4.35 %", "0.043500"],
    ["36%", "0.360000"],
    ["0.36", "0.360000"],
    ["0.000001", "0.000001"],
    [0.0435, "0.043500"],
  ])("reads %s", (raw, expected) => expect(value(parseRate(raw))).toBe(expected));

  it.each([
    ["4.35", "!rate.outOfRange"],
    ["0", "!rate.outOfRange"],
    ["-0.01", "!rate.outOfRange"],
    ["36.01%", "!rate.outOfRange"],
    ["0.0000001", "!rate.precision"],
    ["four percent", "!rate.invalid"],
  ])("refuses %s (%s)", (raw, code) => expect(value(parseRate(raw))).toBe(code));
});

describe("parseInteger", () => {
  it("reads whole numbers within bounds", () => {
    expect(value(parseInteger("12", 1, 600))).toBe(12);
    expect(value(parseInteger(36, 1, 600))).toBe(36);
    expect(value(parseInteger(" 7 ", 1, 600))).toBe(7);
  });
  it("refuses fractions, text and values out of range", () => {
    expect(value(parseInteger("12.5", 1, 600))).toBe("!integer.invalid");
    expect(value(parseInteger(12.5, 1, 600))).toBe("!integer.invalid");
    expect(value(parseInteger("twelve", 1, 600))).toBe("!integer.invalid");
    expect(parseInteger("0", 1, 600)).toEqual({ ok: false, code: "integer.outOfRange", params: { value: "0", min: 1, max: 600 } });
    expect(value(parseInteger("601", 1, 600))).toBe("!integer.outOfRange");
  });
});

describe("ids and text", () => {
  it("trims ids and keeps Chinese", () => {
    expect(value(parseId("  L00000123 "))).toBe("L00000123");
    expect(value(parseId("浙贷字2024第001号"))).toBe("浙贷字2024第001号");
    expect(value(parseId(20240001))).toBe("20240001");
  });
  it("refuses ids Excel rounded, ids with inner spaces and empty ids", () => {
    expect(value(parseId(123456789012345680))).toBe("!id.number");
    expect(value(parseId("L 001"))).toBe("!id.space");
    expect(value(parseId("   "))).toBe("!required");
  });
  it.each(["=HYPERLINK(\"http://evil.example\",\"点击\")", "+86 123", "-1+1", "@SUM(A1)", "  =1+1"])("refuses formula-like text %s", (raw) => {
    expect(value(parseText(raw, 200))).toBe("!formula");
    expect(value(parseId(raw))).toBe("!formula");
  });
  it("refuses formula cells, control characters, undecodable text and overlong text", () => {
    expect(value(parseText({ kind: "formula", formula: "A1" }, 200))).toBe("!formula");
    expect(value(parseText("a\u0007b", 200))).toBe("!text.control");
    expect(value(parseText("a\nb", 200))).toBe("!text.control");
    expect(value(parseText("杭州\uFFFD公司", 200))).toBe("!encoding");
    expect(parseText("x".repeat(201), 200)).toEqual({ ok: false, code: "text.tooLong", params: { max: 200 } });
  });
  it("lower-cases usernames", () => expect(value(parseUsername(" RM1 "))).toBe("rm1"));
});

describe("codes", () => {
  const good = withCheckChar("91330106MA2B3C4D5");
  it("checks the credit code's check character and upper-cases it", () => {
    expect(value(parseCreditCode(good.toLowerCase()))).toBe(good);
    const wrong = good.slice(0, 17) + (good.endsWith("0") ? "1" : "0");
    expect(parseCreditCode(wrong)).toEqual({ ok: false, code: "creditCode.checkDigit", params: { value: wrong } });
    expect(value(parseCreditCode("91330106MA2B3C4D"))).toBe("!creditCode.length");
    expect(value(parseCreditCode("91330106MA2B3C4DIO"))).toBe("!creditCode.charset");
  });
  it("checks industry codes", () => {
    expect(value(parseIndustryCode("c36"))).toBe("C36");
    expect(value(parseIndustryCode("C3612"))).toBe("C3612");
    expect(value(parseIndustryCode("C99"))).toBe("!industryCode.invalid");
    expect(value(parseIndustryCode("Z01"))).toBe("!industryCode.invalid");
  });
  it("reads enum codes in any case and their Chinese labels", () => {
    const opts = [{ value: "approved", labels: ["已批准"] }];
    expect(value(parseEnum("APPROVED", opts))).toBe("approved");
    expect(value(parseEnum("已批准", opts))).toBe("approved");
    expect(parseEnum("ok", opts)).toEqual({ ok: false, code: "enum.invalid", params: { value: "ok", allowed: "approved" } });
  });
});
