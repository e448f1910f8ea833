// The demo's follow-up notes speak the lexicon: each family's risk notes carry a risk signal of that family, and the
// notes of customers who are fine carry no risk signal (their risk terms are negated).
import { describe, expect, it } from "vitest";
import { analyseNote } from "../signals/engine";
import { REASON_FAMILIES } from "../vocabulary";
import { CLEAR_NOTES, RESOLUTION_NOTES, RISK_NOTES } from "./notes";

describe("demo follow-up notes", () => {
  it.each(REASON_FAMILIES)("%s notes carry a risk signal of their family", (family) => {
    for (const note of RISK_NOTES[family]) {
      const risk = analyseNote(note).signals.filter((s) => s.polarity === "risk");
      expect(risk.map((s) => s.reasonFamily), note).toContain(family);
    }
  });

  it("notes of customers who are fine carry no risk signal, and say what they negated", () => {
    for (const note of CLEAR_NOTES) {
      const r = analyseNote(note);
      expect(r.signals.filter((s) => s.polarity === "risk"), note).toEqual([]);
      expect(r.negated.length, note).toBeGreaterThan(0);
    }
  });

  it("a retention note on a rate complaint reads as retention, not as a competitor offer", () => {
    const r = analyseNote(RESOLUTION_NOTES.retained.service_competition);
    expect(r.signals.map((s) => s.polarity)).toContain("retention");
  });
});
