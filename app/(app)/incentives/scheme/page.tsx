import { getTranslations } from "next-intl/server";
import { SchemeEditor, type SchemeVersionView } from "@/components/incentives/SchemeEditor";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { clockNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { nextPeriod } from "@/lib/incentives/scheme";
import { listSchemeVersions, SCHEME_EDITORS } from "@/lib/incentives/versions";
import { todayIn } from "@/lib/time";

export default async function SchemePage() {
  const { actor } = await guardPage(SCHEME_EDITORS, "/incentives/scheme");
  const t = await getTranslations("incentives");
  const versions = (await listSchemeVersions(db())).map((v) => ({ ...v, proposedAt: undefined, decidedAt: undefined })) as unknown as SchemeVersionView[];
  const today = todayIn(undefined, await clockNow(db()));
  return (
    <>
      <PageTitle>{t("schemeTitle")}</PageTitle>
      <Hint>{t("schemeHint")}</Hint>
      <SchemeEditor versions={versions} selfId={actor.userId} nextPeriod={nextPeriod(today.slice(0, 7))} />
    </>
  );
}
