// A lexicon version as the admin screen shows it (serialised by the page from lib/signals/versions).
import type { LexiconDiff } from "@/lib/signals/diff";
import type { Lexicon } from "@/lib/signals/lexicon";
import type { VersionMeta } from "@/components/rules/types";

export type LexiconVersionView = VersionMeta & { decisionNote: string | null };

export type LexiconScreenData = {
  selfId: number;
  /** The active version; null before the built-in lexicon was installed (then `base` is the built-in file). */
  active: LexiconVersionView | null;
  base: Lexicon;
  pending: (LexiconVersionView & { diff: LexiconDiff }) | null;
  versions: LexiconVersionView[];
};
