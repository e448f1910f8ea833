// A lexicon version as the admin screen shows it (serialised by the page from lib/signals/versions).
import type { LexiconDiff } from "@/lib/signals/diff";
import type { Lexicon } from "@/lib/signals/lexicon";
import type { RuleVersionStatus } from "@/lib/vocabulary";

export type LexiconVersionView = {
  id: number;
  version: number;
  status: RuleVersionStatus;
  name: string;
  proposedBy: number | null;
  proposedByName: string | null;
  proposedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
  note: string | null;
  decisionNote: string | null;
};

export type LexiconScreenData = {
  selfId: number;
  /** The active version; null before the built-in lexicon was installed (then `base` is the built-in file). */
  active: LexiconVersionView | null;
  base: Lexicon;
  pending: (LexiconVersionView & { diff: LexiconDiff }) | null;
  versions: LexiconVersionView[];
};
