import { describe, expect, it } from "vitest";
import { UsageError } from "../cli/commands";
import { signalsCommand } from "./cli";

describe("npm run cli -- signals", () => {
  it("prints the note's signals as JSON: signal, reason family, polarity, evidence with sentence and span", () => {
    const note = "客户表示没有资金压力。但是他行给出了更低的利率，客户有些心动。";
    const out = JSON.parse(signalsCommand(note));
    expect(Object.keys(out).sort()).toEqual(["lexicon", "negated", "signals"]);
    expect(out.signals).toEqual([
      {
        signal: "competitor_offer",
        reasonFamily: "service_competition",
        polarity: "risk",
        intensity: 1,
        evidence: [{ term: "他行", text: "他行", span: [13, 15], sentence: "但是他行给出了更低的利率，客户有些心动。", sentenceSpan: [11, 31], intensity: 1 }],
      },
    ]);
    expect(out.negated).toEqual([{ signal: "cash_flow_stress", term: "资金压力", text: "资金压力", span: [6, 10], sentence: "客户表示没有资金压力。" }]);
  });

  it("refuses an empty note as a usage error", () => {
    expect(() => signalsCommand("  ")).toThrow(UsageError);
  });
});
