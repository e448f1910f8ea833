// What a proposed lexicon changes against the active one, list by list: the terms added and removed per signal and
// language, and the same for negators, post-negators, scope breakers, intensifiers and the dictionary. Pure and
// client-safe: the admin screen shows it beside each proposal.
import type { Lexicon } from "./lexicon";
import { LANGS, SIGNAL_IDS, type Lang, type SignalId } from "./types";

export const WORD_LISTS = ["negators", "postNegators", "scopeBreakers"] as const;
export type WordList = (typeof WORD_LISTS)[number];

/** One list's change. `list` is a signal id, a word list, "intensifiers" or "dictionary". */
export type ListChange = {
  list: SignalId | WordList | "intensifiers" | "dictionary";
  lang: Lang | null;
  added: string[];
  removed: string[];
  /** Intensifiers whose weight changed: "term: 1.5 → 2". */
  changed: string[];
};

export type LexiconDiff = {
  changes: ListChange[];
  /** Settings outside the lists (windows, reason families, negatedAs…) that differ, by path. */
  settings: string[];
};

function compare(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: after.filter((t) => !b.has(t)), removed: before.filter((t) => !a.has(t)) };
}

export function diffLexicon(before: Lexicon, after: Lexicon): LexiconDiff {
  const changes: ListChange[] = [];
  const push = (c: ListChange) => {
    if (c.added.length || c.removed.length || c.changed.length) changes.push(c);
  };
  for (const id of SIGNAL_IDS) for (const lang of LANGS) push({ list: id, lang, ...compare(before.signals[id].terms[lang], after.signals[id].terms[lang]), changed: [] });
  for (const list of WORD_LISTS) for (const lang of LANGS) push({ list, lang, ...compare(before[list][lang], after[list][lang]), changed: [] });
  for (const lang of LANGS) {
    const b = before.intensifiers[lang];
    const a = after.intensifiers[lang];
    const changed = Object.keys(a)
      .filter((t) => t in b && b[t] !== a[t])
      .map((t) => `${t}: ${b[t]} → ${a[t]}`);
    push({ list: "intensifiers", lang, ...compare(Object.keys(b), Object.keys(a)), changed });
  }
  push({ list: "dictionary", lang: null, ...compare(before.dictionary, after.dictionary), changed: [] });

  const settings: string[] = [];
  for (const k of ["zh", "en", "post", "gap"] as const) if (before.window[k] !== after.window[k]) settings.push(`window.${k}`);
  for (const id of SIGNAL_IDS) {
    const b = before.signals[id];
    const a = after.signals[id];
    for (const k of ["reasonFamily", "polarity", "negatedAs", "lastMentionDecides"] as const) if (b[k] !== a[k]) settings.push(`signals.${id}.${k}`);
  }
  return { changes, settings };
}
