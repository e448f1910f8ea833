// A rule version as the editor shows it (serialised by the page from lib/rules/versions).
import type { ReasonFamily, RuleVersionStatus, Severity, Stage, Subject, Will } from "@/lib/vocabulary";

export type RuleInput = {
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  subject: Subject;
  condition: unknown;
  severity: Severity;
  stage: Stage;
  will: Will;
  reasonFamily: ReasonFamily;
  cooldownDays: number;
  enabled: boolean;
};

export type RuleVersion = {
  id: number;
  version: number;
  status: RuleVersionStatus;
  name: string;
  proposedBy: number | null;
  proposedByName: string | null;
  /** Proposed by the built-in rule library rather than a person. */
  fromLibrary: boolean;
  proposedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
  note: string | null;
  input: RuleInput;
};
