import { describe, expect, it } from "vitest";
import { isoRow, isoTime } from "./rows";

describe("isoTime", () => {
  it("turns Postgres timestamptz text into ISO 8601 UTC", () => {
    expect(isoTime("2026-11-29 03:30:00.123+00")).toBe("2026-11-29T03:30:00.123Z");
    expect(isoTime("2026-11-29 11:30:00+08")).toBe("2026-11-29T03:30:00.000Z");
    expect(isoTime("2026-11-29 11:30:00+05:30")).toBe("2026-11-29T06:00:00.000Z");
  });
  it("leaves other strings alone", () => {
    expect(isoTime("2026-11-29")).toBe("2026-11-29");
    expect(isoTime("客户 2026-11-29 03:30:00+00")).toBe("客户 2026-11-29 03:30:00+00");
    expect(isoRow({ a: "2026-11-29 03:30:00+00", b: 3, c: null })).toEqual({ a: "2026-11-29T03:30:00.000Z", b: 3, c: null });
  });
});
