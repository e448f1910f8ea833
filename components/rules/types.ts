// A rule version as the editor shows it (serialised by the page from lib/rules/versions).
import type { Definition } from "@/lib/rules/definition";
import type { RuleVersionStatus } from "@/lib/vocabulary";

export type RuleInput = Definition;

/** What every maker-checker version shows (rule versions here; lexicon versions in components/signals/types.ts). */
export type VersionMeta = {
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
};

export type RuleVersion = VersionMeta & {
  /** Proposed by the built-in rule library rather than a person. */
  fromLibrary: boolean;
  input: RuleInput;
};
