// The labelled follow-up notes (fixtures/notes-*.txt) and precision/recall of the engine on them: shared by the unit
// test that guards the lexicon and by `npm run bench -- text`.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Engine } from "./engine";
import { SIGNAL_IDS, type Lang, type SignalId } from "./types";

export const CODES: Record<string, SignalId> = {
  CF: "cash_flow_stress",
  CO: "competitor_offer",
  RC: "rate_complaint",
  BC: "business_contraction",
  OC: "ownership_change",
  SD: "service_dissatisfaction",
  SA: "satisfaction",
};

export type LabelledNote = { file: string; line: number; lang: Lang; text: string; labels: SignalId[]; heldOut: boolean };

const FIXTURES = path.join(import.meta.dirname, "fixtures");

/**
 * Every 5th note of notes-zh/en and all of notes-heldout are held out: reported apart, and not read when the lexicon
 * is tuned.
 */
export function loadLabelledNotes(): LabelledNote[] {
  const out: LabelledNote[] = [];
  for (const file of ["notes-zh.txt", "notes-en.txt", "notes-heldout.txt", "notes-heldout-2.txt", "notes-heldout-3.txt", "notes-heldout-4.txt"]) {
    const wholeHeldOut = file.startsWith("notes-heldout");
    let n = 0;
    readFileSync(path.join(FIXTURES, file), "utf8")
      .split("\n")
      .forEach((raw, i) => {
        const line = raw.trim();
        if (!line || line.startsWith("#")) return;
        const bar = line.indexOf(" | ");
        if (bar < 0) throw new Error(`${file}:${i + 1}: expected "CODES | text"`);
        const codes = line.slice(0, bar).trim();
        const labels = codes === "-" ? [] : codes.split(/\s+/).map((c) => {
          const id = CODES[c];
          if (!id) throw new Error(`${file}:${i + 1}: unknown code ${c}`);
          return id;
        });
        n++;
        const text = line.slice(bar + 3).trim();
        out.push({ file, line: i + 1, lang: /[\u4e00-\u9fff]/.test(text) ? "zh" : "en", text, labels, heldOut: wholeHeldOut || n % 5 === 0 });
      });
  }
  return out;
}

export type SignalScore = { tp: number; fp: number; fn: number; precision: number; recall: number; support: number };
export type Scores = { notes: number; perSignal: Record<SignalId, SignalScore>; errors: { note: LabelledNote; missed: SignalId[]; extra: SignalId[] }[] };

/** Precision and recall per signal, counted per note (a note carries a signal or not). */
export function score(engine: Engine, notes: LabelledNote[]): Scores {
  const counts = Object.fromEntries(SIGNAL_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }])) as Record<SignalId, { tp: number; fp: number; fn: number }>;
  const errors: Scores["errors"] = [];
  for (const note of notes) {
    const got = new Set(engine.analyse(note.text).signals.map((s) => s.signal));
    const want = new Set(note.labels);
    const missed = [...want].filter((s) => !got.has(s));
    const extra = [...got].filter((s) => !want.has(s));
    for (const s of want) counts[s][got.has(s) ? "tp" : "fn"]++;
    for (const s of extra) counts[s].fp++;
    if (missed.length || extra.length) errors.push({ note, missed, extra });
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const perSignal = Object.fromEntries(
    SIGNAL_IDS.map((id) => {
      const c = counts[id];
      return [id, { ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn), support: c.tp + c.fn }];
    }),
  ) as Record<SignalId, SignalScore>;
  return { notes: notes.length, perSignal, errors };
}
