import { getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/shell/PageTitle";
import { LexiconAdmin } from "@/components/signals/LexiconAdmin";
import type { LexiconVersionView } from "@/components/signals/types";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { diffLexicon } from "@/lib/signals/diff";
import { builtinLexicon } from "@/lib/signals/lexicon";
import { LEXICON_EDITORS, listLexiconVersions, versionName, type LexiconVersionRow } from "@/lib/signals/versions";

const view = (v: LexiconVersionRow, name?: string): LexiconVersionView => ({
  id: v.id,
  version: v.version,
  status: v.status,
  name: name ?? versionName(v.version),
  proposedBy: v.proposedBy,
  proposedByName: v.proposedByName,
  proposedAt: v.proposedAt.toISOString(),
  decidedByName: v.decidedByName,
  decidedAt: v.decidedAt ? v.decidedAt.toISOString() : null,
  note: v.note,
  decisionNote: v.decisionNote,
});

export default async function AdminSignalsPage() {
  const { actor } = await guardPage(LEXICON_EDITORS, "/admin/signals");
  const t = await getTranslations("signals");
  const { active, pending, versions } = await listLexiconVersions(db());
  const base = active?.body ?? builtinLexicon();
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <LexiconAdmin
        data={{
          selfId: actor.userId,
          active: active ? view(active, active.body.version) : null,
          base,
          pending: pending ? { ...view(pending, pending.body.version), diff: diffLexicon(base, pending.body) } : null,
          versions: versions.map((v) => view(v)),
        }}
      />
    </>
  );
}
