"use server";
// Rule editing: propose, approve / reject (never one's own proposal) and the backtest preview. The action() wrapper
// guards (admin or supervisor) and validates; lib/rules/versions enforces maker-checker and audits.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { decisionNoteSchema } from "@/lib/auth/makerChecker";
import { limitBacktest } from "@/lib/api/rateLimit";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { action, type ActionResult } from "@/lib/http/action";
import { backtest, type BacktestResult } from "@/lib/rules/backtest";
import { approveVersion, createRule, proposeVersion, rejectVersion, RULE_EDITORS, withdrawVersion, type VersionInput } from "@/lib/rules/versions";
import { SUBJECTS } from "@/lib/vocabulary";
import { todayIn } from "@/lib/time";
import { fromZodIssues, Invalid } from "@/lib/errors";
import { conditionSchema } from "@/lib/rules/ast";

const id = z.number().int().positive();

const propose = action(RULE_EDITORS, z.object({ ruleId: id, input: z.unknown() }), async ({ ruleId, input }, { actor }) => {
  const r = await proposeVersion(db(), actor, ruleId, input);
  revalidatePath("/admin/rules");
  return r;
});
const approve = action(RULE_EDITORS, z.object({ versionId: id }), async ({ versionId }, { actor }) => {
  await approveVersion(db(), actor, versionId);
  revalidatePath("/admin/rules");
});
const reject = action(RULE_EDITORS, z.object({ versionId: id, note: decisionNoteSchema }), async ({ versionId, note }, { actor }) => {
  await rejectVersion(db(), actor, versionId, note);
  revalidatePath("/admin/rules");
});
// Inside the caller's scope (a supervisor sees their branch only), a few runs a minute per user, time-limited.
const preview = action(RULE_EDITORS, z.object({ subject: z.enum(SUBJECTS), condition: z.unknown() }), async ({ subject, condition }, { actor, scope }) => {
  const c = conditionSchema(subject).safeParse(condition);
  if (!c.success) throw new Invalid(fromZodIssues(c.error.issues.map((i) => ({ ...i, path: ["condition", ...i.path] }))));
  await limitBacktest(actor.userId);
  return backtest(db(), { subject, condition: c.data }, todayIn(), 90, { scope, timeoutMs: env().BACKTEST_TIMEOUT_MS });
});

const create = action(RULE_EDITORS, z.object({ code: z.string(), input: z.unknown() }), async ({ code, input }, { actor }) => {
  const r = await createRule(db(), actor, code, input);
  revalidatePath("/admin/rules");
  return r;
});

export async function createRuleAction(input: { code: string; input: VersionInput }): Promise<ActionResult<{ ruleId: number; versionId: number }>> {
  return create(input);
}
export async function proposeRuleAction(input: { ruleId: number; input: VersionInput }): Promise<ActionResult<{ id: number; version: number }>> {
  return propose(input);
}
export async function approveRuleAction(input: { versionId: number }): Promise<ActionResult<void>> {
  return approve(input);
}
const withdraw = action(RULE_EDITORS, z.object({ versionId: id }), async ({ versionId }, { actor }) => {
  await withdrawVersion(db(), actor, versionId);
});
export async function withdrawRuleAction(input: { versionId: number }): Promise<ActionResult<void>> {
  return withdraw(input);
}
export async function rejectRuleAction(input: { versionId: number; note: string }): Promise<ActionResult<void>> {
  return reject(input);
}
export async function backtestRuleAction(input: { subject: (typeof SUBJECTS)[number]; condition: unknown }): Promise<ActionResult<BacktestResult>> {
  return preview(input);
}
