import { WarningDetail, type FeatureLabel } from "@/components/warnings/WarningDetail";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { featureCatalogue } from "@/lib/rules/features";
import { getWarning } from "@/lib/warnings/queries";

export default async function WarningPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { scope } = await guardPage(ANY_ROLE, `/warnings/${encodeURIComponent(raw)}`);
  const id = pageId(raw, 15);
  // Out of scope and unknown look the same: 404.
  const detail = await orNotFound(getWarning(db(), scope, id));
  const keys = Object.keys(detail.evidence.features ?? {});
  const features: Record<string, FeatureLabel> = {};
  for (const f of featureCatalogue()) if (keys.includes(f.key)) features[f.key] = { labelZh: f.labelZh, labelEn: f.labelEn, unit: f.unit, type: f.type };
  return <WarningDetail detail={detail} features={features} />;
}
