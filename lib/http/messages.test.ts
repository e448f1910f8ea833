import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Conflict, Invalid, NotFound, fromZodIssues } from "../errors";
import { errorBody, issueMessage, renderIssues, translator } from "./messages";

describe("field issues", () => {
  it("are worded from the catalogue in the reader's language, with their params", () => {
    const issue = { field: "items.0.paid_on", code: "date.afterAsOf", params: { asOf: "2026-05-01" } };
    expect(issueMessage(issue, "en")).toBe("Dated after the as-of date 2026-05-01.");
    expect(issueMessage(issue, "zh-CN")).toBe("日期晚于数据日期 2026-05-01。");
  });

  it("take the wording their key names when several share one public code", () => {
    const [i] = renderIssues([{ field: "customer_no", code: "notFound", key: "ref.unknownCustomer", params: { value: "C9" } }], "en");
    expect(i).toEqual({ field: "customer_no", code: "notFound", message: "There is no customer C9: import customers first." });
  });

  it("keep a library's own wording where the catalogue has none, and fall back to the code", () => {
    const zodIssues = fromZodIssues(z.object({ n: z.number().max(3) }).safeParse({ n: 9 }).error!.issues);
    expect(renderIssues(zodIssues, "zh-CN")[0]).toMatchObject({ field: "n", code: "too_big", message: zodIssues[0]!.detail });
    expect(issueMessage({ code: "no.such.code" }, "en")).toBe("no.such.code");
  });

  it("never word a zod issue code: the catalogue has no entry under one", () => {
    const zodCodes = ["invalid_type", "too_big", "too_small", "invalid_format", "not_multiple_of", "unrecognized_keys", "invalid_union", "invalid_key", "invalid_element", "invalid_value", "custom"];
    for (const locale of ["en", "zh-CN"]) expect(zodCodes.filter((c) => translator(locale, "issues").has(c)), locale).toEqual([]);
  });

  it("have catalogue entries for every key an issue names ({ code, key })", () => {
    const keys = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts")) for (const m of readFileSync(p, "utf8").matchAll(/\bcode: [^,}]+, key: "([\w.]+)"/g)) keys.add(m[1]!);
      }
    };
    for (const dir of ["lib", "app"]) walk(path.resolve(import.meta.dirname, "../..", dir));
    expect(keys.size).toBeGreaterThan(5);
    for (const locale of ["en", "zh-CN"]) expect([...keys].filter((k) => !translator(locale, "issues").has(k)), locale).toEqual([]);
  });
});

describe("error bodies", () => {
  it("carry an expected error's code, headline and worded issues, with its status", () => {
    const r = errorBody(new Invalid([{ field: "ratePct", code: "rateRange", params: { min: 0.5, max: 20 } }]), "en");
    expect(r).toEqual({
      status: 422,
      body: { error: { code: "invalid", message: "1 field needs correcting; see the messages.", issues: [{ field: "ratePct", code: "rateRange", message: "the rate must be between 0.5% and 20%" }] } },
    });
    expect(errorBody(new NotFound("loan"), "zh-CN")).toEqual({ status: 404, body: { error: { code: "notFound", message: "未找到该记录，或您无权查看。" } } });
    expect(errorBody(new Conflict("loanExists"), "en").body.error.message).toBe("Conflict: that contract number already exists");
    expect(errorBody(new Invalid([]), "en", 413).status).toBe(413);
  });

  it("hide anything unexpected behind a reference the user can quote", () => {
    const { status, body } = errorBody(new Error("boom at db"), "en");
    expect(status).toBe(500);
    expect(body.error.code).toBe("internal");
    expect(body.error.ref).toMatch(/^[0-9a-f]{8}$/);
    expect(body.error.message).toContain(body.error.ref);
    expect(body.error.message).not.toContain("boom");
  });
});
