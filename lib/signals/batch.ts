// Tagging many notes at once (the nightly job's shape), and the note-count features the catalogue will expose.
import "server-only";
import { signalEngine, type Engine } from "./engine";
import { SIGNAL_IDS, type Polarity, type SignalId } from "./types";
import type { ReasonFamily } from "../vocabulary";

/** One row per (note, signal): what a `follow_up_signals` table stores. The span is the first evidence. */
export type NoteSignalRow<Id> = {
  noteId: Id;
  signal: SignalId;
  reasonFamily: ReasonFamily;
  polarity: Polarity;
  intensity: number;
  /** How many times the note states the signal. */
  mentions: number;
  start: number;
  end: number;
  lexicon: string;
};

/**
 * Tags a batch of notes with one compiled engine (the segmenter is loaded once per process, not per note). Notes
 * without a signal yield no row; the caller records the lexicon version it tagged with, so a new active version
 * re-tags only what it must.
 */
export function tagNotes<Id>(notes: Iterable<{ id: Id; text: string | null }>, engine: Engine = signalEngine()): NoteSignalRow<Id>[] {
  const rows: NoteSignalRow<Id>[] = [];
  for (const note of notes) {
    if (!note.text) continue;
    for (const s of engine.analyse(note.text).signals) {
      const first = s.evidence[0]!;
      rows.push({
        noteId: note.id,
        signal: s.signal,
        reasonFamily: s.reasonFamily,
        polarity: s.polarity,
        intensity: s.intensity,
        mentions: s.evidence.length,
        start: first.span[0],
        end: first.span[1],
        lexicon: engine.version,
      });
    }
  }
  return rows;
}

export type NoteFeatureKey = `note_${SignalId}_${number}d`;

/**
 * The reference definition of the note features: `note_<signal>_<days>d` as of D is the number of follow-up notes
 * dated in (D − days, D] that carry the signal. Notes dated after D are ignored (no leakage). The catalogue's SQL
 * version is checked against this.
 */
export function noteSignalCounts(notes: Iterable<{ date: string; signals: readonly SignalId[] }>, asOf: string, days = 90): Record<NoteFeatureKey, number> {
  const end = Date.parse(`${asOf}T00:00:00Z`);
  const start = end - days * 86_400_000;
  const out = Object.fromEntries(SIGNAL_IDS.map((id) => [`note_${id}_${days}d`, 0])) as Record<NoteFeatureKey, number>;
  for (const n of notes) {
    const t = Date.parse(`${n.date.slice(0, 10)}T00:00:00Z`);
    if (!(t > start && t <= end)) continue;
    for (const id of new Set(n.signals)) out[`note_${id}_${days}d`] = (out[`note_${id}_${days}d`] ?? 0) + 1;
  }
  return out;
}
