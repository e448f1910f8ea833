// A rule version as the editor shows it (serialised by the page from lib/rules/versions).
export type Subject = "loan" | "customer" | "application";
export type RuleSeverity = "low" | "medium" | "high" | "critical";

export type RuleInput = {
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  subject: Subject;
  condition: unknown;
  severity: RuleSeverity;
  stage: "pre_loan" | "post_loan";
  will: "voluntary" | "involuntary";
  reasonFamily: "market_demand" | "funding_chain" | "credit_risk" | "service_competition";
  cooldownDays: number;
  enabled: boolean;
};

export type RuleVersion = {
  id: number;
  version: number;
  status: "proposed" | "active" | "rejected" | "superseded";
  name: string;
  proposedBy: number | null;
  proposedByName: string | null;
  proposedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
  note: string | null;
  input: RuleInput;
};
