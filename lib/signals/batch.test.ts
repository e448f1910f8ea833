import { describe, expect, it } from "vitest";
import { noteSignalCounts, tagNotes } from "./batch";
import { signalEngine } from "./engine";

describe("tagNotes", () => {
  it("gives one row per note and signal, with the first evidence span and the lexicon version", () => {
    const notes = [
      { id: 1, text: "客户资金紧张，工资要晚发。他行也来营销了。" },
      { id: 2, text: "Routine visit, nothing to report." },
      { id: 3, text: null },
      { id: 4, text: "The client is very pleased with our service." },
    ];
    const rows = tagNotes(notes);
    expect(rows.map((r) => [r.noteId, r.signal, r.mentions])).toEqual([
      [1, "cash_flow_stress", 2],
      [1, "competitor_offer", 1],
      [4, "satisfaction", 1],
    ]);
    expect(notes[0]!.text!.slice(rows[0]!.start, rows[0]!.end)).toBe("资金紧张");
    expect(rows[2]).toMatchObject({ polarity: "retention", reasonFamily: "service_competition", intensity: 1.5, lexicon: signalEngine().version });
  });
});

describe("noteSignalCounts (the note_<signal>_90d features)", () => {
  it("counts notes in (asOf − days, asOf], each note once per signal, and ignores later notes", () => {
    const notes = [
      { date: "2026-06-30", signals: ["competitor_offer", "competitor_offer"] as const },
      { date: "2026-04-01", signals: ["competitor_offer", "cash_flow_stress"] as const },
      { date: "2026-04-02", signals: ["competitor_offer"] as const },
      { date: "2026-07-01", signals: ["competitor_offer"] as const },
    ];
    const c = noteSignalCounts(notes, "2026-06-30", 90);
    // 2026-06-30 − 90 days = 2026-04-01: excluded; 04-02 and 06-30 included; 07-01 is after the as-of date.
    expect(c.note_competitor_offer_90d).toBe(2);
    expect(c.note_cash_flow_stress_90d).toBe(0);
    expect(Object.keys(c)).toHaveLength(7);
    expect(noteSignalCounts(notes, "2026-07-01", 30).note_competitor_offer_30d).toBe(2);
  });
});
