// Text handling for the signal engine: a length-preserving normal form (so offsets in it are offsets in the note),
// sentence splitting, and tokens (jieba words for Chinese runs, letter/digit words for Latin runs, clause
// punctuation). Pure apart from the segmenter passed in.

export type Token = { start: number; end: number; kind: "word" | "punct"; cjk: boolean };
export type Segmenter = (run: string) => string[];

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
export const isCjk = (c: string) => CJK.test(c);

/**
 * Same length as the input, one UTF-16 unit for one: full-width ASCII to ASCII, curly apostrophes to ', hyphens and
 * any space to a plain space, letters to lower case. Terms are normalised the same way, so "Cash-flow" meets "cash flow".
 */
export function normalise(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000 || c === 0x2010 || c === 0x2011 || c === 0x2013) c = 0x20;
    else if (c === 0x2018 || c === 0x2019) c = 0x27;
    if (c === 0x2d || c === 0x09 || c === 0x0a || c === 0x0d) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    out += String.fromCharCode(c);
  }
  return out;
}

const SENTENCE_END = new Set(["。", "！", "？", "!", "?", "；", ";", "\n", "\r", "…"]);
// A full stop after these is not the end of a sentence.
const ABBREVIATIONS = new Set(["mr", "mrs", "ms", "dr", "no", "vs", "etc", "co", "ltd", "inc", "e.g", "i.e", "st"]);

/** Sentence spans [start, end) of the text, trimmed, empty ones left out. */
export function splitSentences(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push([s, e]);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    let end = false;
    if (SENTENCE_END.has(c)) end = true;
    else if (c === ".") {
      const next = text[i + 1];
      if (next === undefined || /\s/.test(next) || isCjk(next)) {
        const word = /([a-z.]+)$/i.exec(text.slice(Math.max(0, i - 6), i))?.[1]?.toLowerCase() ?? "";
        end = !ABBREVIATIONS.has(word);
      }
    }
    if (end) {
      // Keep a run of closing marks ("?!", "……", "。”") with the sentence they end.
      let j = i + 1;
      while (j < text.length && (SENTENCE_END.has(text[j]!) || text[j] === "”" || text[j] === '"' || text[j] === "." || text[j] === "」")) {
        if (text[j] === "\n") break;
        j++;
      }
      push(j);
      start = j;
      i = j - 1;
    }
  }
  push(text.length);
  return out;
}

const CLAUSE_PUNCT = new Set([",", "，", ":", "：", "、", "(", ")", "（", "）", "—", "/"]);
const LATIN_WORD = /[a-z0-9]+(?:'[a-z]+)*/y;

/**
 * Tokens of a normalised sentence, offsets relative to it. Chinese runs go through the segmenter; if its pieces do
 * not add up to the run (they always should), the run falls back to one token per character.
 */
export function tokenize(norm: string, segment: Segmenter): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < norm.length) {
    const c = norm[i]!;
    if (isCjk(c)) {
      let j = i + 1;
      while (j < norm.length && isCjk(norm[j]!)) j++;
      const run = norm.slice(i, j);
      const pieces = segment(run);
      if (pieces.reduce((n, p) => n + p.length, 0) === run.length) {
        let at = i;
        for (const p of pieces) {
          out.push({ start: at, end: at + p.length, kind: "word", cjk: true });
          at += p.length;
        }
      } else {
        for (let k = i; k < j; k++) out.push({ start: k, end: k + 1, kind: "word", cjk: true });
      }
      i = j;
      continue;
    }
    LATIN_WORD.lastIndex = i;
    const m = LATIN_WORD.exec(norm);
    if (m) {
      out.push({ start: i, end: i + m[0].length, kind: "word", cjk: false });
      i += m[0].length;
      continue;
    }
    if (CLAUSE_PUNCT.has(c)) out.push({ start: i, end: i + 1, kind: "punct", cjk: false });
    i++;
  }
  return out;
}

/** The sentence span of the text that holds the evidence span (what a page highlights the evidence in). */
export function sentenceAround(text: string, span: readonly [number, number]): [number, number] {
  return splitSentences(text).find(([a, b]) => span[0] >= a && span[0] < b) ?? [0, text.length];
}
