import { TaskPage } from "@/components/tasks/TaskPage";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { featureLabels } from "@/lib/rules/features";
import { now } from "@/lib/tasks/api";
import { getTask } from "@/lib/tasks/queries";
import { taskRisk } from "@/lib/model/queries";

export const dynamic = "force-dynamic";

export default async function Task({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { actor, scope } = await guardPage(ANY_ROLE, `/tasks/${encodeURIComponent(raw)}`);
  const id = pageId(raw);
  // Out of scope and unknown look the same: 404.
  const detail = await orNotFound(getTask(db(), scope, actor, id, await now()));
  const features = featureLabels(detail.warnings.flatMap((w) => Object.keys(w.evidence.features ?? {})));
  const risk = await taskRisk(db(), scope, id);
  return <TaskPage initial={detail} features={features} role={actor.role} risk={risk} />;
}
