import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileLexicon, signalEngine } from "./engine";
import { loadLexicon, parseLexicon } from "./lexicon";
import type { NoteSignals, SignalId } from "./types";

const engine = signalEngine();
const ids = (r: NoteSignals) => r.signals.map((s) => s.signal);
const found = (note: string) => ids(engine.analyse(note));
const signal = (note: string, id: SignalId) => engine.analyse(note).signals.find((s) => s.signal === id);

describe("negation", () => {
  it.each([
    ["客户表示目前没有资金压力。", "cash_flow_stress"],
    ["客户并未考虑将贷款转到其他银行。", "competitor_offer"],
    ["客户不存在拖欠供应商货款的情况。", "cash_flow_stress"],
    ["企业已不再拖欠工资。", "cash_flow_stress"],
    ["没有发现企业有减产停产的情况。", "business_contraction"],
    ["The client is not considering another bank.", "competitor_offer"],
    ["The client is no longer behind on payments.", "cash_flow_stress"],
    ["There are no cash flow problems at the moment.", "cash_flow_stress"],
    ["The company did not cut any jobs this year.", "business_contraction"],
  ] as const)("%s carries no %s, and reports the negated term", (note, id) => {
    const r = engine.analyse(note);
    expect(ids(r)).not.toContain(id);
    expect(r.negated.map((n) => n.signal)).toContain(id);
  });

  it("reads a post-negator after the term", () => {
    expect(found("企业资金压力不大，主要关心新厂房的贷款额度。")).not.toContain("cash_flow_stress");
    expect(found("The cash squeeze has eased.")).not.toContain("cash_flow_stress");
  });

  it("double negation keeps the signal", () => {
    expect(found("客户并不是没有资金压力，只是不愿意承认。")).toContain("cash_flow_stress");
    expect(found("客户并非不考虑转贷。")).toContain("competitor_offer");
    expect(found("The client did not rule out moving the loan to another bank.")).toContain("competitor_offer");
  });

  it("each term owns the negators after the previous term of its clause", () => {
    // The second term has its own negator: one each, both negated.
    expect(found("No overdue payments and no arrears.")).not.toContain("cash_flow_stress");
    // A negator before a term of another signal does not reach past it.
    expect(found("客户没有资金压力和他行的报价")).toContain("competitor_offer");
  });

  it("a negated satisfaction term counts as dissatisfaction", () => {
    expect(found("The client is not satisfied with our service.")).toEqual(["service_dissatisfaction"]);
    expect(found("客户对我行的服务没有不满。")).toEqual([]);
  });

  it("a competitor offer turned down in the same sentence is no signal; cash-flow stress with no arrears yet still is", () => {
    expect(found("他行曾经来接触过，但客户明确表示不打算更换合作银行。")).not.toContain("competitor_offer");
    expect(found("现金流紧张，但暂未出现逾期。")).toContain("cash_flow_stress");
  });
});

describe("scope", () => {
  it("negation ends at a clause boundary or a contrastive conjunction", () => {
    expect(found("客户没有资金压力，但是他行给出了更低的报价。")).toEqual(["competitor_offer"]);
    expect(found("客户没有资金压力但是他行给出了更低的报价")).toEqual(["competitor_offer"]);
    expect(found("The client is not short of cash, but another bank has approached them.")).toEqual(["competitor_offer"]);
    expect(found("The client is not short of cash but another bank has approached them.")).toEqual(["competitor_offer"]);
    expect(found("客户没有抱怨，订单大幅减少。")).toEqual(["business_contraction"]);
  });

  it("negation reaches only a few words", () => {
    // 没有 is six words before 订单减少 here: out of the window.
    expect(found("客户没有按照原计划在本月底之前扩建厂房的订单减少了")).toContain("business_contraction");
  });
});

describe("word boundaries (why the notes are segmented)", () => {
  it("does not find a term inside another word", () => {
    expect(found("客户主要服务其他行业的企业，经营正常。")).not.toContain("competitor_offer");
  });
  it("does not take a word that starts with a negator for a negator", () => {
    // 不断 ("continually") is one word, not the negator 不.
    expect(found("企业销售额不断下滑。")).toEqual(["business_contraction"]);
  });
});

describe("intensity", () => {
  it("intensifiers raise it, diminishers lower it, in both languages and on either side of the term", () => {
    expect(signal("企业订单严重下滑。", "business_contraction")?.intensity).toBe(2);
    expect(signal("企业资金略显紧张。", "cash_flow_stress")?.intensity).toBe(0.5);
    expect(signal("Orders fell sharply in March.", "business_contraction")?.intensity).toBe(1.5);
    expect(signal("Cash is slightly tight this month.", "cash_flow_stress")?.intensity).toBe(0.5);
    expect(signal("企业订单减少。", "business_contraction")?.intensity).toBe(1);
  });
});

describe("evidence", () => {
  it("gives the sentence and the character span of each signal, in the note's own offsets", () => {
    const note = "今日上门拜访。  客户说他行给了更低报价！另外，企业资金非常紧张，工资要晚发。Next visit in June.";
    const r = engine.analyse(note);
    expect(ids(r).sort()).toEqual(["cash_flow_stress", "competitor_offer"]);
    for (const s of r.signals) {
      for (const e of s.evidence) {
        expect(note.slice(e.span[0], e.span[1])).toBe(e.text);
        expect(note.slice(e.sentenceSpan[0], e.sentenceSpan[1])).toBe(e.sentence);
        expect(e.span[0]).toBeGreaterThanOrEqual(e.sentenceSpan[0]);
        expect(e.span[1]).toBeLessThanOrEqual(e.sentenceSpan[1]);
      }
    }
    const co = r.signals.find((s) => s.signal === "competitor_offer")!;
    expect(co).toMatchObject({ reasonFamily: "service_competition", polarity: "risk" });
    expect(co.evidence[0]).toMatchObject({ text: "他行", sentence: "客户说他行给了更低报价！" });
    const cf = r.signals.find((s) => s.signal === "cash_flow_stress")!;
    expect(cf).toMatchObject({ reasonFamily: "funding_chain", polarity: "risk", intensity: 1.5 });
    expect(cf.evidence.map((e) => e.sentence)).toEqual(["另外，企业资金非常紧张，工资要晚发。", "另外，企业资金非常紧张，工资要晚发。"]);
  });

  it("finds two signals in one sentence, and keeps full-width text and English inside Chinese", () => {
    expect(found("客户直言他行报价比我行低50个基点，如果我行不能降价，就把部分贷款转走。").sort()).toEqual(["competitor_offer", "rate_complaint"]);
    expect(found("The client complained that disbursement was slow and that we charge a penalty for early repayment.").sort()).toEqual(["rate_complaint", "service_dissatisfaction"]);
    expect(found("客户说 cash flow 这两个月很紧。")).toEqual(["cash_flow_stress"]);
    expect(found("ＣＡＳＨ ＩＳ ＴＩＧＨＴ.")).toEqual(["cash_flow_stress"]);
  });

  it("splits English sentences at full stops but not after abbreviations or inside numbers", () => {
    const note = "Mr. Wang said rates rose 3.5% this year. Cash is tight.";
    const cf = signal(note, "cash_flow_stress")!;
    expect(cf.evidence[0]!.sentence).toBe("Cash is tight.");
    expect(engine.analyse("Mr. Wang said the client is happy with us.").signals[0]!.evidence[0]!.sentence).toBe("Mr. Wang said the client is happy with us.");
  });

  it("a note with no signal yields none", () => {
    expect(engine.analyse("本次以电话方式完成贷后检查，企业水电用量、纳税数据均正常。")).toEqual({ lexicon: engine.version, signals: [], negated: [] });
    expect(engine.analyse("")).toEqual({ lexicon: engine.version, signals: [], negated: [] });
  });
});

describe("term syntax", () => {
  it("gapped terms, alternatives, Latin prefixes and Chinese word suffixes", () => {
    // "订单 ... 减少|下降": a gap of words between the parts, in one clause.
    expect(found("企业的出口订单今年以来明显减少。")).toEqual(["business_contraction"]);
    expect(found("企业的出口订单，今年以来，工人减少。")).not.toContain("business_contraction");
    // "refinanc*"
    expect(found("The client wants to refinance elsewhere.")).toEqual(["competitor_offer"]);
    // "*费 ... 意见": any fee word.
    expect(found("客户对续贷收取的担保费颇有意见。")).toEqual(["rate_complaint"]);
  });
});

describe("any text", () => {
  // Random notes built from lexicon words, negators, punctuation, Latin and CJK filler: the engine never throws,
  // and every span it reports is inside its sentence and slices to its text.
  const pieces = ["资金紧张", "没有", "他行", "，", "。", "但是", "非常", "订单减少", "不满意", "Cash is tight", " not ", "another bank", ". ", "\n", "１２３", "其他行业", "企业", "ｃａｓｈ", "…", "满意", "x", " ", "的"];
  it("keeps spans consistent on random notes", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.string({ maxLength: 20 }), (parts, noise) => {
        const note = parts.join("") + noise;
        const r = engine.analyse(note);
        for (const s of r.signals)
          for (const e of s.evidence) {
            expect(note.slice(e.span[0], e.span[1])).toBe(e.text);
            expect(note.slice(e.sentenceSpan[0], e.sentenceSpan[1])).toBe(e.sentence);
            expect(e.span[0] >= e.sentenceSpan[0] && e.span[1] <= e.sentenceSpan[1]).toBe(true);
          }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe("the lexicon is data", () => {
  it("every signal maps to a reason family and a polarity and has terms in both languages", () => {
    const lex = loadLexicon();
    for (const [id, s] of Object.entries(lex.signals)) {
      expect(s.terms.zh.length, id).toBeGreaterThan(5);
      expect(s.terms.en.length, id).toBeGreaterThan(5);
    }
    expect(lex.signals.satisfaction.polarity).toBe("retention");
    expect(lex.signals.ownership_change.reasonFamily).toBe("credit_risk");
  });

  it("rejects a malformed lexicon", () => {
    const lex = structuredClone(loadLexicon()) as Record<string, unknown> & { signals: Record<string, unknown> };
    expect(() => parseLexicon({ ...lex, signals: { ...lex.signals, unknown_signal: lex.signals.satisfaction } })).toThrow();
    expect(() => parseLexicon({ ...lex, signals: { ...lex.signals, satisfaction: { ...(lex.signals.satisfaction as object), reasonFamily: "weather" } } })).toThrow();
    expect(() => parseLexicon({ ...lex, window: { zh: -1, en: 5, post: 3, gap: 5 } })).toThrow();
  });

  it("a different lexicon changes what is found, without code changes", () => {
    const lex = structuredClone(loadLexicon());
    lex.version = "test-1";
    lex.signals.competitor_offer.terms.zh.push("挖角银行");
    lex.negators.zh = lex.negators.zh.filter((n) => n !== "没有");
    const custom = compileLexicon(parseLexicon(lex));
    expect(ids(custom.analyse("有一家挖角银行找上客户。"))).toContain("competitor_offer");
    expect(ids(custom.analyse("客户表示目前没有资金压力。"))).toContain("cash_flow_stress");
    expect(custom.analyse("").lexicon).toBe("test-1");
  });
});
