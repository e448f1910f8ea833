import { getLocale } from "next-intl/server";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { featureChoices } from "@/lib/rules/features";
import { listRules, RULE_EDITORS } from "@/lib/rules/versions";
import { RulesTable } from "@/components/rules/RulesTable";

export default async function AdminRulesPage() {
  await guardPage(RULE_EDITORS, "/admin/rules");
  const en = (await getLocale()) === "en";
  const rules = await listRules(db());
  const features = featureChoices(en);
  return (
    <RulesTable
      features={features}
      rules={rules.map((r) => {
        const v = r.active ?? r.pending;
        return {
          id: r.id,
          code: r.code,
          name: v ? (en ? v.nameEn : v.nameZh) : r.code,
          severity: v?.severity ?? null,
          stage: v?.stage ?? null,
          will: v?.will ?? null,
          reasonFamily: v?.reasonFamily ?? null,
          subject: v?.subject ?? null,
          enabled: r.active?.enabled ?? false,
          version: r.active?.version ?? null,
          pending: r.pending ? r.pending.version : null,
          pendingFromLibrary: r.pending?.fromLibrary ?? false,
        };
      })}
    />
  );
}
