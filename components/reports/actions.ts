"use server";
// Churn reports' writes from the browser: request one (keyed: a double submit records one report), edit the measures
// and finalise. lib/reports checks the scope (another branch, or the bank for a supervisor: not found) and audits.
import { z } from "zod";
import { keyedAction, writeAction, type ActionResult, type Keyed } from "@/lib/http/action";
import { assertReportReader, editMeasures, finaliseReport, measuresInputSchema, requestReport, requestSchema, type ReportRequest } from "@/lib/reports/service";

const ROLES = ["supervisor", "admin"] as const;

const generate = keyedAction("reports.generate", ROLES, requestSchema, (input, g, tx) => {
  assertReportReader(g.actor.role);
  return requestReport(tx, g.scope, { kind: "user", userId: g.actor.userId }, input);
});
const measures = writeAction(ROLES, measuresInputSchema, (input, g, tx) => editMeasures(tx, g.scope, { kind: "user", userId: g.actor.userId }, input));
const finalise = writeAction(ROLES, z.strictObject({ reportId: z.number().int().positive() }), ({ reportId }, g, tx) =>
  finaliseReport(tx, g.scope, { kind: "user", userId: g.actor.userId }, reportId),
);

export async function generateReportAction(req: Keyed<ReportRequest>): Promise<ActionResult<{ id: number }>> {
  return generate(req);
}
export async function saveMeasuresAction(input: z.input<typeof measuresInputSchema>): Promise<ActionResult<{ version: number }>> {
  return measures(input);
}
export async function finaliseReportAction(input: { reportId: number }): Promise<ActionResult<{ finalisedAt: string }>> {
  return finalise(input);
}
