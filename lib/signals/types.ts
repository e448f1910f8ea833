// Text signals: the ids, and the shapes the engine returns. Pure and client-safe (a page highlights evidence spans).
import type { ReasonFamily } from "../vocabulary";

export const SIGNAL_IDS = [
  "cash_flow_stress",
  "competitor_offer",
  "rate_complaint",
  "business_contraction",
  "ownership_change",
  "service_dissatisfaction",
  "satisfaction",
] as const;
export type SignalId = (typeof SIGNAL_IDS)[number];

/** `risk`: the signal points towards churn; `retention`: away from it. */
export const POLARITIES = ["risk", "retention"] as const;
export type Polarity = (typeof POLARITIES)[number];

export const LANGS = ["zh", "en"] as const;
export type Lang = (typeof LANGS)[number];

/** Offsets are UTF-16 indices into the note as given: `note.slice(start, end)` is the matched text. */
export type Evidence = {
  /** The lexicon term that matched (as written in the lexicon). */
  term: string;
  /** The matched text and its span in the note. */
  text: string;
  span: [number, number];
  /** The sentence the signal came from, and its span in the note. */
  sentence: string;
  sentenceSpan: [number, number];
  /** 1 unless an intensifier ("严重", "slightly") applies: above 1 stronger, below 1 weaker. */
  intensity: number;
};

export type SignalFound = {
  signal: SignalId;
  reasonFamily: ReasonFamily;
  polarity: Polarity;
  /** The strongest intensity among the evidence. */
  intensity: number;
  evidence: Evidence[];
};

/** A term found but negated ("没有资金压力"): kept so a page can show why a note carries no signal. */
export type NegatedTerm = { signal: SignalId; term: string; text: string; span: [number, number]; sentence: string };

export type NoteSignals = { lexicon: string; signals: SignalFound[]; negated: NegatedTerm[] };
