import { describe, expect, it } from "vitest";
import { sentenceAround } from "./text";

describe("sentenceAround", () => {
  const note = "客户表示没有资金压力。但是他行给出了更低的利率，客户有些心动。 Next visit in May.";
  const at = (term: string) => [note.indexOf(term), note.indexOf(term) + term.length] as [number, number];

  it("finds the sentence holding an evidence span, as offsets into the note", () => {
    const [a, b] = sentenceAround(note, at("他行"));
    expect(note.slice(a, b)).toBe("但是他行给出了更低的利率，客户有些心动。");
    const [c, d] = sentenceAround(note, at("资金压力"));
    expect(note.slice(c, d)).toBe("客户表示没有资金压力。");
    const [e, f] = sentenceAround(note, at("May"));
    expect(note.slice(e, f)).toBe("Next visit in May.");
  });

  it("falls back to the whole note for a span outside every sentence", () => {
    expect(sentenceAround("abc", [10, 12])).toEqual([0, 3]);
  });
});
