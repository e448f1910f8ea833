import { describe, expect, it } from "vitest";
import { pickLocale } from "./locales";

describe("pickLocale", () => {
  it("defaults to zh-CN", () => {
    expect(pickLocale(undefined, undefined)).toBe("zh-CN");
    expect(pickLocale(undefined, "fr-FR,fr;q=0.9")).toBe("zh-CN");
  });
  it("follows the cookie first", () => {
    expect(pickLocale("en", "zh-CN")).toBe("en");
    expect(pickLocale("zh-CN", "en-US")).toBe("zh-CN");
  });
  it("falls back to Accept-Language, ignoring unknown cookie values", () => {
    expect(pickLocale("de", "en-GB,en;q=0.8")).toBe("en");
  });
});
