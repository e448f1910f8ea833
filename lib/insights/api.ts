// The insights API's one shape for both endpoints: supervisors and admins only (everyone else: 404, as if it did not
// exist), the query parsed with the dashboard's period rules, the clock the tasks use.
import "server-only";
import { guard } from "../auth/guard";
import type { Scope } from "../auth/scope";
import { Forbidden, Invalid, NotFound, fromZodIssues } from "../errors";
import { now } from "../tasks/api";
import { todayIn } from "../time";
import { insightsParams, insightsQuerySchema, type InsightsParams } from "./params";

export async function insightsRequest(req: Request): Promise<{ scope: Scope; params: InsightsParams }> {
  const { scope } = await guard(["supervisor", "admin"], req).catch((e: unknown) => {
    throw e instanceof Forbidden ? new NotFound("insights") : e;
  });
  const raw = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = insightsQuerySchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  const at = await now();
  return { scope, params: insightsParams(parsed.data, at, todayIn(undefined, at)) };
}
