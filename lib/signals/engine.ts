// The text-signal engine: finds the lexicon's signals in a follow-up note, with negation, intensity and scope.
//
// A note is split into sentences, a sentence into tokens (jieba words for Chinese, so a term only matches on word
// boundaries: "他行" is not found inside "其他行业", and "不断" is not the negator "不"), and tokens into clauses at
// clause punctuation and scope breakers ("但是", "but"). Every term, negator, intensifier and breaker is found in one
// walk of a character trie from each word start. A signal term is negated by an odd number of negators before it in
// its clause (within the window, and after the previous term, so "没有资金压力，也没有…" and double negation both
// come out right), or by a post-negator just after it ("资金压力不大", "has eased").
import "server-only";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { loadLexicon, type Lexicon } from "./lexicon";
import { isCjk, normalise, splitSentences, tokenize, type Token } from "./text";
import { SIGNAL_IDS, type Evidence, type NegatedTerm, type NoteSignals, type SignalFound, type SignalId } from "./types";

type Kind = "signal" | "neg" | "post" | "int" | "break";
type Entry = { kind: Kind; term: string; signal?: SignalId; weight?: number; rest?: Part[] };
/**
 * One part of a gapped term: its alternatives. A trailing "*" matches to the end of the word ("refinanc*"); a leading
 * "*" matches a whole word that ends so ("*费": 担保费, 服务费).
 */
type Alt = { text: string; prefix: boolean; suffix: boolean };
type Part = { alts: Alt[] };
type TrieNode = { next: Map<string, TrieNode>; exact: Entry[]; prefix: Entry[] };

/** A match: the word-token range [from, to] of each part, and the character spans. */
type Match = { entry: Entry; from: number; to: number; parts: [number, number][]; clause: number; cjk: boolean };

export type Engine = {
  version: string;
  lexicon: Lexicon;
  analyse(note: string): NoteSignals;
};

const INTENSITY_MIN = 0.25;
const INTENSITY_MAX = 4;
const GAP = " ... ";

function node(): TrieNode {
  return { next: new Map(), exact: [], prefix: [] };
}

function parsePart(raw: string): Part {
  return {
    alts: raw.split("|").map((a) => {
      const t = normalise(a.trim());
      if (t.startsWith("*")) return { text: t.slice(1), prefix: false, suffix: true };
      return t.endsWith("*") ? { text: t.slice(0, -1), prefix: true, suffix: false } : { text: t, prefix: false, suffix: false };
    }),
  };
}

/** Compiles a lexicon: the trie of every term and the jieba instance with the lexicon's words. */
export function compileLexicon(lexicon: Lexicon): Engine {
  const root = node();
  const suffixes: { text: string; entry: Entry }[] = [];
  const userWords = new Set<string>(lexicon.dictionary);
  const add = (raw: string, entry: Omit<Entry, "term" | "rest">) => {
    const [head, ...tail] = raw.split(GAP).map(parsePart);
    for (const alt of head!.alts) {
      if (!alt.text) continue;
      if (alt.suffix) {
        suffixes.push({ text: alt.text, entry: { ...entry, term: raw, rest: tail.length ? tail : undefined } });
        continue;
      }
      let n = root;
      for (const ch of alt.text) {
        let child = n.next.get(ch);
        if (!child) n.next.set(ch, (child = node()));
        n = child;
      }
      (alt.prefix ? n.prefix : n.exact).push({ ...entry, term: raw, rest: tail.length ? tail : undefined });
    }
    // Chinese words go into the segmenter's dictionary, so it keeps them whole.
    for (const part of [head!, ...tail]) for (const alt of part.alts) if (alt.text.length > 1 && [...alt.text].every(isCjk)) userWords.add(alt.text);
  };
  for (const id of SIGNAL_IDS) for (const lang of ["zh", "en"] as const) for (const t of lexicon.signals[id].terms[lang]) add(t, { kind: "signal", signal: id });
  for (const lang of ["zh", "en"] as const) {
    for (const t of lexicon.negators[lang]) add(t, { kind: "neg" });
    for (const t of lexicon.postNegators[lang]) add(t, { kind: "post" });
    for (const t of lexicon.scopeBreakers[lang]) add(t, { kind: "break" });
    for (const [t, w] of Object.entries(lexicon.intensifiers[lang])) add(t, { kind: "int", weight: w });
  }
  const jieba = Jieba.withDict(dict);
  // A high frequency makes the segmenter prefer the lexicon's words where the general dictionary would split them.
  jieba.loadDict(Buffer.from([...userWords].map((w) => `${w} 50000 n`).join("\n")));
  const segment = (run: string) => jieba.cut(run, false);

  return {
    version: lexicon.version,
    lexicon,
    analyse: (note) => analyse(note, lexicon, { root, suffixes, userWords }, segment),
  };
}

type Compiled = { root: TrieNode; suffixes: { text: string; entry: Entry }[]; userWords: ReadonlySet<string> };

function analyse(note: string, lexicon: Lexicon, compiled: Compiled, segment: (s: string) => string[]): NoteSignals {
  const found = new Map<SignalId, SignalFound>();
  const negated: NegatedTerm[] = [];
  for (const [ss, se] of splitSentences(note)) {
    const sentence = note.slice(ss, se);
    const norm = normalise(sentence);
    const tokens = tokenize(norm, segment);
    const hits = sentenceHits(norm, tokens, lexicon, compiled);
    const lastNegated = new Set(hits.filter((h, i) => lexicon.signals[h.signal].lastMentionDecides && h.negated && !hits.slice(i + 1).some((o) => o.signal === h.signal)).map((h) => h.signal));
    for (const hit of hits) {
      if (lastNegated.has(hit.signal) && !hit.negated) continue;
      const span: [number, number] = [ss + hit.start, ss + hit.end];
      const text = note.slice(span[0], span[1]);
      const def = lexicon.signals[hit.signal];
      let signal = hit.signal;
      if (hit.negated) {
        negated.push({ signal, term: hit.term, text, span, sentence });
        if (!def.negatedAs) continue;
        signal = def.negatedAs;
      }
      const evidence: Evidence = { term: hit.term, text, span, sentence, sentenceSpan: [ss, se], intensity: hit.intensity };
      const cur = found.get(signal);
      if (cur) {
        cur.evidence.push(evidence);
        cur.intensity = Math.max(cur.intensity, hit.intensity);
      } else {
        const d = lexicon.signals[signal];
        found.set(signal, { signal, reasonFamily: d.reasonFamily, polarity: d.polarity, intensity: hit.intensity, evidence: [evidence] });
      }
    }
  }
  const signals = SIGNAL_IDS.flatMap((id) => found.get(id) ?? []);
  return { lexicon: lexicon.version, signals, negated };
}

type Hit = { signal: SignalId; term: string; start: number; end: number; negated: boolean; intensity: number };

function sentenceHits(norm: string, all: Token[], lexicon: Lexicon, { root, suffixes, userWords }: Compiled): Hit[] {
  // Word tokens, and the clause punctuation as boundaries between them.
  const words: Token[] = [];
  const punctBefore: boolean[] = [];
  let pendingPunct = false;
  for (const t of all) {
    if (t.kind === "punct") pendingPunct = true;
    else {
      words.push(t);
      punctBefore.push(pendingPunct);
      pendingPunct = false;
    }
  }
  if (!words.length) return [];
  const startAt = new Map<number, number>();
  const endAt = new Map<number, number>();
  words.forEach((w, i) => {
    startAt.set(w.start, i);
    endAt.set(w.end, i);
  });
  // The word whose span holds a character offset (for prefix terms, which run to the end of their word).
  const wordOf = new Int32Array(norm.length + 1).fill(-1);
  words.forEach((w, i) => wordOf.fill(i, w.start, w.end));

  // 1. Every single-part match and every head of a gapped term, from each word start.
  const raw: { entry: Entry; from: number; to: number }[] = [];
  for (let i = 0; i < words.length; i++) {
    if (suffixes.length) {
      const text = norm.slice(words[i]!.start, words[i]!.end);
      for (const sfx of suffixes) if (text.endsWith(sfx.text)) raw.push({ entry: sfx.entry, from: i, to: i });
    }
    let n: TrieNode | undefined = root;
    let p = words[i]!.start;
    while (n) {
      if (n.prefix.length && p > words[i]!.start) {
        const w = wordOf[p - 1]!;
        if (w >= 0) for (const e of n.prefix) raw.push({ entry: e, from: i, to: w });
      }
      const endsWord = endAt.get(p);
      if (n.exact.length && endsWord !== undefined && p > words[i]!.start) for (const e of n.exact) raw.push({ entry: e, from: i, to: endsWord });
      if (p >= norm.length) break;
      n = n.next.get(norm[p]!);
      p++;
    }
  }

  // 2. Clauses: a new one after clause punctuation and at each scope breaker (breakers inside a longer term do not count).
  const clauseOf = new Int32Array(words.length);
  const breakAt = new Set<number>();
  for (const r of raw) {
    if (r.entry.kind !== "break") continue;
    const inside = raw.some((o) => o.entry.kind === "signal" && !o.entry.rest && o.from <= r.from && o.to >= r.to && o.to - o.from > r.to - r.from);
    if (!inside) breakAt.add(r.from);
  }
  let clause = 0;
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && (punctBefore[i] || breakAt.has(i))) clause++;
    clauseOf[i] = clause;
  }

  // 3. Gapped terms: each further part within `gap` words after the previous one, in the same clause.
  const matches: Match[] = [];
  const matchPartAt = (part: Part, i: number): number | undefined => {
    const w = words[i]!;
    for (const alt of part.alts) {
      if (alt.suffix) {
        if (norm.slice(w.start, w.end).endsWith(alt.text)) return i;
        continue;
      }
      if (!norm.startsWith(alt.text, w.start)) continue;
      const end = w.start + alt.text.length;
      if (alt.prefix) {
        const k = wordOf[end - 1] ?? -1;
        if (k >= 0) return k;
      } else {
        const k = endAt.get(end);
        if (k !== undefined) return k;
        // Inside one of the lexicon's own compound words ("利率" in "利率太高"): the segmenter kept it whole only
        // because the lexicon lists it, so a gapped term may end inside it.
        const inWord = wordOf[end - 1] ?? -1;
        if (inWord === i && userWords.has(norm.slice(w.start, w.end))) return i;
      }
    }
    // Or at the end of such a compound ("意见" in "很有意见").
    const text = norm.slice(w.start, w.end);
    if (userWords.has(text)) for (const alt of part.alts) if (!alt.prefix && alt.text.length < text.length && text.endsWith(alt.text)) return i;
    return undefined;
  };
  for (const r of raw) {
    const c = clauseOf[r.from]!;
    if (clauseOf[r.to] !== c) continue;
    const parts: [number, number][] = [[r.from, r.to]];
    let ok = true;
    for (const part of r.entry.rest ?? []) {
      const prev = parts[parts.length - 1]![1];
      let got: [number, number] | undefined;
      for (let i = prev + 1; i <= prev + 1 + lexicon.window.gap && i < words.length && clauseOf[i] === c; i++) {
        const to = matchPartAt(part, i);
        if (to !== undefined && clauseOf[to] === c) {
          got = [i, to];
          break;
        }
      }
      if (!got) {
        ok = false;
        break;
      }
      parts.push(got);
    }
    if (ok) matches.push({ entry: r.entry, from: r.from, to: parts[parts.length - 1]![1], parts, clause: c, cjk: words[r.from]!.cjk });
  }

  // 4. Overlaps: the longer match wins (a negator inside "不满意" is part of the term, not a negator); two signals
  // with the same span both stay. Spans are the parts' own words, not a gapped term's gap.
  const len = (m: Match) => m.parts.reduce((n, [a, b]) => n + words[b]!.end - words[a]!.start, 0);
  const contains = (a: Match, b: Match) => b.parts.every(([f, t]) => a.parts.some(([af, at]) => af <= f && at >= t));
  const overlaps = (a: Match, b: Match) => a.parts.some(([af, at]) => b.parts.some(([f, t]) => af <= t && f <= at));
  const order = (m: Match) => (m.entry.kind === "signal" ? 0 : 1);
  matches.sort((a, b) => len(b) - len(a) || order(a) - order(b) || a.from - b.from);
  const kept: Match[] = [];
  for (const m of matches) {
    const drop = kept.some((k) => {
      if (!overlaps(k, m)) return false;
      if (m.entry.kind !== "signal") return k.entry.kind === "signal" || contains(k, m);
      if (k.entry.kind !== "signal") return false;
      if (!contains(k, m)) return false;
      return len(k) > len(m) || k.entry.signal === m.entry.signal;
    });
    if (!drop) kept.push(m);
  }
  kept.sort((a, b) => a.from - b.from || a.to - b.to);

  // 5. Negation and intensity for each signal match, within its clause.
  const signals = kept.filter((m) => m.entry.kind === "signal");
  const hits: Hit[] = [];
  const negatedAt = new Map<Match, boolean>();
  for (const m of signals) {
    // Modifiers before the term count only after the previous term of the clause (each term owns its negators).
    const prev = signals.filter((o) => o !== m && o.clause === m.clause && o.to < m.from).at(-1);
    const prevEnd = prev?.to ?? -1;
    const nextStart = Math.min(words.length, ...signals.filter((o) => o !== m && o.clause === m.clause && o.from > m.to).map((o) => o.from));
    const window = m.cjk ? lexicon.window.zh : lexicon.window.en;
    let negations = 0;
    let intensity = 1;
    for (const o of kept) {
      if (o.clause !== m.clause || o.entry.kind === "signal" || o.entry.kind === "break") continue;
      const before = o.to < m.from && o.from > prevEnd && m.from - o.to - 1 <= window;
      const inGap = o.from > m.from && o.to < m.to && !m.parts.some(([f, t]) => o.from >= f && o.to <= t);
      const after = o.from > m.to && o.to < nextStart && o.from - m.to - 1 <= lexicon.window.post;
      if (o.entry.kind === "neg" && (before || inGap)) negations++;
      else if (o.entry.kind === "post" && after) negations++;
      else if (o.entry.kind === "int" && (before || inGap || after)) intensity *= o.entry.weight ?? 1;
    }
    let isNegated = negations % 2 === 1;
    // A term right after one of the same signal with no negator of its own shares its negation: "并未考虑转到其他银行",
    // "没有减产停产".
    const ownBefore = kept.some((o) => o.entry.kind === "neg" && o.clause === m.clause && o.to < m.from && o.from > prevEnd);
    if (prev && !ownBefore && prev.entry.signal === m.entry.signal && m.from - prev.to - 1 <= window) isNegated = negatedAt.get(prev) ?? isNegated;
    negatedAt.set(m, isNegated);
    hits.push({
      signal: m.entry.signal!,
      term: m.entry.term,
      start: words[m.from]!.start,
      end: words[m.to]!.end,
      negated: isNegated,
      intensity: Math.min(INTENSITY_MAX, Math.max(INTENSITY_MIN, Number(intensity.toFixed(3)))),
    });
  }
  return hits;
}

let cached: Engine | undefined;

/** The engine for the lexicon in force, compiled once per process (loading the segmenter takes ≈ 0.3 s). */
export function signalEngine(): Engine {
  const lexicon = loadLexicon();
  if (!cached || cached.lexicon !== lexicon) cached = compileLexicon(lexicon);
  return cached;
}

/** The signals in one follow-up note. */
export function analyseNote(note: string, engine: Engine = signalEngine()): NoteSignals {
  return engine.analyse(note);
}
