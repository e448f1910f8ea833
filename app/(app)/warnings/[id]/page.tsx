import { WarningDetail } from "@/components/warnings/WarningDetail";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { featureLabels } from "@/lib/rules/features";
import { getWarning } from "@/lib/warnings/queries";

export default async function WarningPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { scope } = await guardPage(ANY_ROLE, `/warnings/${encodeURIComponent(raw)}`);
  const id = pageId(raw, 15);
  // Out of scope and unknown look the same: 404.
  const detail = await orNotFound(getWarning(db(), scope, id));
  const features = featureLabels(Object.keys(detail.evidence.features ?? {}));
  return <WarningDetail detail={detail} features={features} />;
}
