import { getLocale } from "next-intl/server";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { pickDefinition } from "@/lib/rules/definition";
import { featureChoices } from "@/lib/rules/features";
import { getRule, RULE_EDITORS } from "@/lib/rules/versions";
import { RuleEditor } from "@/components/rules/RuleEditor";
import { insightsParams } from "@/lib/insights/params";
import { rulesInsights } from "@/lib/insights/queries";
import { now } from "@/lib/tasks/api";
import { addDays } from "@/lib/tasks/calendar";
import { todayIn } from "@/lib/time";

export default async function AdminRulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { actor, scope } = await guardPage(RULE_EDITORS, `/admin/rules/${encodeURIComponent(raw)}`);
  const id = pageId(raw);
  const rule = await orNotFound(getRule(db(), id));
  // The rule's own warning quality over the last year, in the viewer's scope (a supervisor: their branch).
  const at = await now();
  const today = todayIn(undefined, at);
  const quality = await rulesInsights(db(), scope, { ...insightsParams({ from: addDays(today, -365), to: today }, at, today), ruleId: rule.id });
  const en = (await getLocale()) === "en";
  const features = featureChoices(en);
  const versions = rule.versions.map((v) => ({
    id: v.id,
    version: v.version,
    status: v.status,
    name: en ? v.nameEn : v.nameZh,
    proposedBy: v.proposedBy,
    proposedByName: v.proposedByName,
    fromLibrary: v.fromLibrary,
    proposedAt: v.proposedAt.toISOString(),
    decidedByName: v.decidedByName,
    decidedAt: v.decidedAt ? v.decidedAt.toISOString() : null,
    note: v.note,
    input: pickDefinition(v),
  }));
  return <RuleEditor key={versions[0]?.id} code={rule.code} ruleId={rule.id} selfId={actor.userId} features={features} versions={versions} quality={quality} />;
}
