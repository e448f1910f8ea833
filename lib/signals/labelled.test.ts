import { describe, expect, it } from "vitest";
import { signalEngine } from "./engine";
import { loadLabelledNotes, score } from "./labelled";
import { SIGNAL_IDS } from "./types";

const notes = loadLabelledNotes();

describe("the labelled follow-up notes", () => {
  it("are at least 300, in both languages, with notes of no signal and of two signals, and a held-out part", () => {
    expect(notes.length).toBeGreaterThanOrEqual(300);
    expect(notes.filter((n) => n.lang === "zh").length).toBeGreaterThanOrEqual(150);
    expect(notes.filter((n) => n.lang === "en").length).toBeGreaterThanOrEqual(150);
    expect(notes.filter((n) => n.labels.length === 0).length).toBeGreaterThanOrEqual(60);
    expect(notes.filter((n) => n.labels.length >= 2).length).toBeGreaterThanOrEqual(20);
    expect(notes.filter((n) => n.heldOut).length).toBeGreaterThanOrEqual(100);
    for (const id of SIGNAL_IDS) expect(notes.filter((n) => n.labels.includes(id)).length, id).toBeGreaterThanOrEqual(30);
    expect(new Set(notes.map((n) => n.text)).size).toBe(notes.length);
  });

  // A lexicon change that loses a signal's precision or recall fails here (the bench prints the figures).
  it("precision and recall are at least 0.85 for every signal", () => {
    const s = score(signalEngine(), notes);
    const below = SIGNAL_IDS.filter((id) => s.perSignal[id].precision < 0.85 || s.perSignal[id].recall < 0.85).map((id) => ({ id, ...s.perSignal[id] }));
    expect(below).toEqual([]);
  });
});
