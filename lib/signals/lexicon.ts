// The signal lexicon is data: terms per signal and language, negators, intensifiers, scope breakers and the
// segmentation dictionary. The built-in version lives in lexicon.json; loadLexicon() is the one way the engine gets
// a lexicon, so a versioned lexicon from the database can replace the file without the engine changing.
import { z } from "zod";
import { REASON_FAMILIES } from "../vocabulary";
import builtin from "./lexicon.json";
import { LANGS, POLARITIES, SIGNAL_IDS, type SignalId } from "./types";

const terms = z.array(z.string().trim().min(1)).max(2_000);
const perLang = z.object({ zh: terms, en: terms });
const weights = z.record(z.string().trim().min(1), z.number().positive().max(5));
const signalEntry = z
  .object({
    reasonFamily: z.enum(REASON_FAMILIES),
    polarity: z.enum(POLARITIES),
    /** A negated term of this signal counts as that signal instead ("not satisfied" → dissatisfaction). */
    negatedAs: z.enum(SIGNAL_IDS).optional(),
    /**
     * The sentence's last mention decides: "他行来营销过，但客户不打算更换银行" is no competitor offer. Not for signals
     * where a later negated mention adds a fact instead ("现金流紧张，但暂未逾期" is still cash-flow stress).
     */
    lastMentionDecides: z.boolean().optional(),
    terms: perLang,
  })
  .strict();

export const lexiconSchema = z
  .object({
    version: z.string().min(1).max(64),
    /**
     * Token distances: how far before a term a negator or intensifier still applies (per language), how far after
     * it a post-negator ("资金压力不大", "has eased") applies, and the largest gap inside a gapped term ("A ... B").
     */
    window: z.object({ zh: z.number().int().min(0).max(20), en: z.number().int().min(0).max(20), post: z.number().int().min(0).max(10), gap: z.number().int().min(0).max(20) }),
    signals: z
      .object({
        cash_flow_stress: signalEntry,
        competitor_offer: signalEntry,
        rate_complaint: signalEntry,
        business_contraction: signalEntry,
        ownership_change: signalEntry,
        service_dissatisfaction: signalEntry,
        satisfaction: signalEntry,
      } satisfies Record<SignalId, typeof signalEntry>)
      .strict(),
    negators: perLang,
    postNegators: perLang,
    intensifiers: z.object({ zh: weights, en: weights }),
    scopeBreakers: perLang,
    /** Words for the Chinese segmenter (jieba user dictionary), besides every Chinese term above. */
    dictionary: terms,
  })
  .strict();

export type Lexicon = z.infer<typeof lexiconSchema>;
export { LANGS };

const parsedBuiltin = lexiconSchema.parse(builtin);

/**
 * The lexicon the engine uses. Today the built-in file; when lexicon versions are kept in the database, the active
 * version is read here (and `parseLexicon` validates what an admin proposes).
 */
export function loadLexicon(): Lexicon {
  return parsedBuiltin;
}

/** Validates a lexicon from outside the code (an admin's edit, a database row). */
export function parseLexicon(input: unknown): Lexicon {
  return lexiconSchema.parse(input);
}
