import { describe, expect, it } from "vitest";
import { diffLexicon } from "./diff";
import { builtinLexicon } from "./lexicon";

describe("diffLexicon", () => {
  it("is empty for the same lexicon", () => {
    expect(diffLexicon(builtinLexicon(), structuredClone(builtinLexicon()))).toEqual({ changes: [], settings: [] });
  });

  it("lists terms added and removed per signal and language, word lists, intensifier weights and settings", () => {
    const before = builtinLexicon();
    const after = structuredClone(before);
    const removed = after.signals.rate_complaint.terms.en.shift()!;
    after.signals.competitor_offer.terms.zh.push("上门推介");
    after.negators.en.push("hardly");
    const [int] = Object.keys(after.intensifiers.zh);
    after.intensifiers.zh[int!] = 3.5;
    after.window.gap = before.window.gap + 1;
    const d = diffLexicon(before, after);
    expect(d.changes).toEqual([
      { list: "competitor_offer", lang: "zh", added: ["上门推介"], removed: [], changed: [] },
      { list: "rate_complaint", lang: "en", added: [], removed: [removed], changed: [] },
      { list: "negators", lang: "en", added: ["hardly"], removed: [], changed: [] },
      { list: "intensifiers", lang: "zh", added: [], removed: [], changed: [`${int}: ${before.intensifiers.zh[int!]} → 3.5`] },
    ]);
    expect(d.settings).toEqual(["window.gap"]);
  });
});
