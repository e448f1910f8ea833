import { getTranslations } from "next-intl/server";
import { ModelAdmin } from "@/components/model/ModelAdmin";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { featureLabels, featuresFor } from "@/lib/rules/features";
import { listModelVersions, MODEL_EDITORS, MODEL_READERS, versionView } from "@/lib/model/versions";

export const dynamic = "force-dynamic";

export default async function ModelPage() {
  const { actor } = await guardPage(MODEL_READERS, "/admin/model");
  const t = await getTranslations("model");
  const versions = await listModelVersions(db(), actor);
  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <ModelAdmin
        initial={versions.map(versionView)}
        selfId={actor.userId}
        canEdit={(MODEL_EDITORS as readonly string[]).includes(actor.role)}
        labels={featureLabels(featuresFor("loan").map((f) => f.key))}
      />
    </>
  );
}
