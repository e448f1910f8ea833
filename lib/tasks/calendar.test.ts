import { describe, expect, it } from "vitest";
import { addBusinessTime, businessTimeBetween, DAY_MS, DEFAULT_SLA, isBusinessDay, localDate, localTime, slaTimers, type Calendar } from "./calendar";

const SH = "Asia/Shanghai";
const cal = (holidays: string[] = [], workdays: string[] = [], tz = SH): Calendar => ({ tz, holidays: new Set(holidays), workdays: new Set(workdays) });
// Instants written as Shanghai wall-clock time.
const sh = (s: string) => new Date(`${s}+08:00`).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe("business calendar", () => {
  it("knows weekends, holidays and worked weekend days", () => {
    const c = cal(["2026-10-01"], ["2026-10-10"]);
    expect(isBusinessDay(c, "2026-09-30")).toBe(true); // Wednesday
    expect(isBusinessDay(c, "2026-10-01")).toBe(false); // National Day, a Thursday
    expect(isBusinessDay(c, "2026-10-03")).toBe(false); // Saturday
    expect(isBusinessDay(c, "2026-10-10")).toBe(true); // Saturday worked instead (调休)
  });

  it("reads dates and times in the calendar's zone, not UTC", () => {
    // 2026-11-27 23:30 UTC is Saturday 07:30 in Shanghai.
    const ms = Date.parse("2026-11-27T23:30:00Z");
    expect(localDate(ms, SH)).toBe("2026-11-28");
    expect(localDate(ms, "UTC")).toBe("2026-11-27");
    expect(iso(localTime("2026-11-30", SH))).toBe("2026-11-29T16:00:00.000Z");
    expect(iso(localTime("2026-11-30", SH, "09:00"))).toBe("2026-11-30T01:00:00.000Z");
  });

  it("adds business time across a weekend, keeping the time of day", () => {
    // Friday 15:00 + 1 business day → Monday 15:00.
    expect(addBusinessTime(cal(), sh("2026-11-27T15:00:00"), DAY_MS)).toBe(sh("2026-11-30T15:00:00"));
    // Saturday counts from Monday 00:00.
    expect(addBusinessTime(cal(), sh("2026-11-28T10:00:00"), DAY_MS)).toBe(sh("2026-12-01T00:00:00"));
    // Zero business time from a weekend is the start of the next business day; on a business day, the instant.
    expect(addBusinessTime(cal(), sh("2026-11-28T10:00:00"), 0)).toBe(sh("2026-11-30T00:00:00"));
    expect(addBusinessTime(cal(), sh("2026-11-27T10:00:00"), 0)).toBe(sh("2026-11-27T10:00:00"));
  });

  it("skips public holidays and counts worked weekend days", () => {
    const golden = cal(["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"], ["2026-09-27", "2026-10-10"]);
    // Wednesday 30 Sep 10:00 + 2 business days: Thursday–Wednesday are holidays or the weekend, Thursday 8 Oct is
    // the first business day after, then Friday 9 Oct → due Friday 9 Oct 10:00.
    expect(addBusinessTime(golden, sh("2026-09-30T10:00:00"), 2 * DAY_MS)).toBe(sh("2026-10-09T10:00:00"));
    // Friday 9 Oct 10:00 + 1 business day lands on Saturday 10 Oct (a working day), 10:00.
    expect(addBusinessTime(golden, sh("2026-10-09T10:00:00"), DAY_MS)).toBe(sh("2026-10-10T10:00:00"));
    // Saturday 26 Sep 12:00 + 1 day: the weekend Saturday is off, Sunday 27 Sep is worked → Monday 28 Sep 00:00.
    expect(addBusinessTime(golden, sh("2026-09-26T12:00:00"), DAY_MS)).toBe(sh("2026-09-28T00:00:00"));
  });

  it("measures elapsed business time", () => {
    expect(businessTimeBetween(cal(), sh("2026-11-27T15:00:00"), sh("2026-11-30T15:00:00"))).toBe(DAY_MS);
    expect(businessTimeBetween(cal(), sh("2026-11-28T00:00:00"), sh("2026-11-30T00:00:00"))).toBe(0);
    expect(businessTimeBetween(cal(), sh("2026-11-30T00:00:00"), sh("2026-11-27T00:00:00"))).toBe(0);
  });

  it("works in a zone with daylight saving time", () => {
    // Europe/Berlin moves to summer time on Sunday 29 March 2026: Friday 27 March 12:00 + 1 business day is
    // Monday 30 March 12:00 local, 23 h of UTC time after the weekend's clock change.
    const berlin = cal([], [], "Europe/Berlin");
    const from = Date.parse("2026-03-27T11:00:00Z"); // 12:00 CET
    expect(iso(addBusinessTime(berlin, from, DAY_MS))).toBe("2026-03-30T10:00:00.000Z"); // 12:00 CEST
  });

  it("derives the SLA timers for each priority, reminders at 75 %", () => {
    const t = slaTimers(cal(), DEFAULT_SLA, "critical", new Date(sh("2026-11-30T10:00:00"))); // Monday
    expect(t.contactRemindAt.getTime()).toBe(sh("2026-12-01T04:00:00")); // 18 h later
    expect(t.contactDueAt.getTime()).toBe(sh("2026-12-01T10:00:00"));
    expect(t.resolveRemindAt.getTime()).toBe(sh("2026-12-04T04:00:00")); // 3.75 business days: Thursday 10:00 + 18 h
    expect(t.resolveDueAt.getTime()).toBe(sh("2026-12-07T10:00:00")); // 5 business days: next Monday
    const low = slaTimers(cal(), DEFAULT_SLA, "low", new Date(sh("2026-11-30T10:00:00")));
    expect(low.contactDueAt.getTime()).toBe(sh("2026-12-14T10:00:00")); // 10 business days = two weeks
  });
});
