// The demo's simulated relationship managers (docs/churn.md, "Demo history"): when a task opens in the history, its
// assignee's plan is drawn (deterministically, from the seed, the task and the RM) and carried out through the same
// services an RM's clicks call (lib/tasks/service.ts), with past timestamps: acknowledge, first contact, follow-ups
// with notes in the family's vocabulary (./notes.ts), promises to pay, and a resolution that matches what the seed
// says happens to the customer (churn_truth): churners' tasks end "churned" once the churn shows in the data,
// customers the intervention kept end "retained" (or restructured / recovered), the others are false alarms.
// RMs differ: fast and thorough, slow, and some who miss their SLAs.
import { sql } from "drizzle-orm";
import type { Actor } from "../auth/roles";
import type { Scope } from "../auth/scope";
import type { Db } from "../db/client";
import { Conflict } from "../errors";
import { addDays, localDate, localTime } from "../tasks/calendar";
import { addFollowUp, transitionTask } from "../tasks/service";
import { checkPromises, fireDueTimers } from "../tasks/timers";
import { businessTz } from "../time";
import type { FollowUpType, ReasonFamily, Stage, TaskOutcome, Will } from "../vocabulary";
import { CLEAR_NOTES, promiseNote, RESOLUTION_NOTES, RISK_NOTES } from "./notes";
import { fmix32 } from "./generate";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const PERSONAS = ["fast", "steady", "slow"] as const;
export type Persona = (typeof PERSONAS)[number];

type Timing = {
  ack: [number, number]; // hours after opening
  contact: [number, number]; // hours after opening
  gapDays: [number, number];
  followUps: [number, number];
  resolveDays: [number, number]; // after the last contact
  skipAck: number; // share of tasks never acknowledged before the first contact
};

// "fast": contacts within the day, follows up weekly; "steady": within the contact SLA of most priorities; "slow":
// days late, long gaps, so contact and resolution SLAs are often breached.
const TIMING: Record<Persona, Timing> = {
  fast: { ack: [0.3, 3], contact: [1, 20], gapDays: [4, 9], followUps: [2, 3], resolveDays: [1, 3], skipAck: 0 },
  steady: { ack: [4, 30], contact: [20, 96], gapDays: [8, 16], followUps: [1, 3], resolveDays: [3, 10], skipAck: 0.2 },
  slow: { ack: [24, 120], contact: [72, 300], gapDays: [12, 25], followUps: [1, 2], resolveDays: [5, 20], skipAck: 0.4 },
};

/** What the seed says about the customer (churn_truth). */
export type Fate = {
  behaviour: string;
  churns: boolean;
  stage: Stage | null;
  will: Will | null;
  reasonFamily: ReasonFamily | null;
  churnOn: string | null;
};

export type SimTask = { id: number; customerId: number; assigneeId: number; reasonFamily: ReasonFamily; openedAt: number };

export type Action =
  | { at: number; taskId: number; seq: number; kind: "acknowledge" }
  | { at: number; taskId: number; seq: number; kind: "contact"; type: FollowUpType; notes: string; promise: boolean; nextAt: number | null }
  | { at: number; taskId: number; seq: number; kind: "resolve"; outcome: TaskOutcome; note: string }
  // Resolve as churned once a churn event of the customer is in the data (detection runs weekly); else look again.
  | { at: number; taskId: number; seq: number; kind: "await_churn"; tries: number }
  // The system's own clock, as the worker's delayed jobs would run it: an SLA timer of the task, a promise falling due.
  | { at: number; taskId: number; seq: number; kind: "timer" }
  | { at: number; taskId: number; seq: number; kind: "promise_due" };

// A small PRNG of its own (mulberry32 over a murmur-mixed key): the plans depend on the seed, the task and the RM only.
const mix = fmix32;
export class PlanRng {
  private s: number;
  constructor(keys: readonly number[]) {
    let h = 0x2545f491;
    for (const k of keys) h = mix((h ^ mix(k >>> 0)) + 0x9e3779b9);
    this.s = h;
  }
  float(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.float() * xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
}

/** Each RM's way of working, from the seed and the user id: about a third each. */
export function personaOf(seed: number, userId: number): Persona {
  const r = new PlanRng([seed, 0x5eed, userId]).float();
  return r < 0.35 ? "fast" : r < 0.7 ? "steady" : "slow";
}

/** Moves an instant into office hours (09:00–18:00 business time), keeping the minutes it carried. */
function officeHours(ms: number, tz: string): number {
  const day = localDate(ms, tz);
  const open = localTime(day, tz, "09:00");
  const close = localTime(day, tz, "18:00");
  if (ms < open) return open + (ms % HOUR);
  if (ms > close) return localTime(addDays(day, 1), tz, "09:00") + (ms % HOUR);
  return ms;
}

const CONTACT_TYPES: readonly (readonly [FollowUpType, number])[] = [["phone", 55], ["visit", 30], ["meeting", 8], ["message", 7]];
function contactType(rng: PlanRng): FollowUpType {
  let r = rng.float() * 100;
  for (const [t, w] of CONTACT_TYPES) if ((r -= w) < 0) return t;
  return "phone";
}

/**
 * The plan for a task just opened: acknowledgement, contacts and how it ends. `fate` is the customer's truth;
 * `asOfEnd` bounds nothing here (actions after the end of the history are simply not carried out: the task is live).
 */
export function planTask(seed: number, task: SimTask, persona: Persona, fate: Fate | undefined): Action[] {
  const rng = new PlanRng([seed, 0x7a5c, task.id]);
  const tz = businessTz();
  const t = TIMING[persona];
  const out: Action[] = [];
  let seq = 0;
  const family = task.reasonFamily;
  const churnAt = fate?.churns && fate.churnOn ? localTime(fate.churnOn, tz, "10:00") : null;
  // Churned already, or about to: the RM hears of it at the first contact. Far off (more than 120 days): the RM
  // cannot know yet, and the task ends as if the customer stayed.
  const churnSoon = churnAt !== null && churnAt - task.openedAt <= 120 * DAY;
  const stays = !fate?.churns || !churnSoon;
  const retained = fate !== undefined && !fate.churns && fate.behaviour !== "steady";

  if (!rng.chance(t.skipAck)) out.push({ at: officeHours(task.openedAt + rng.between(...t.ack) * HOUR, tz), taskId: task.id, seq: seq++, kind: "acknowledge" });
  let at = officeHours(task.openedAt + rng.between(...t.contact) * HOUR, tz);
  if (out[0] && out[0].at > at) out[0].at = at - 10 * 60_000;
  const contacts = rng.int(...t.followUps) + (stays ? 0 : 1);
  // Trouble shows in the notes of customers who churn or had to be kept; false alarms read as all clear.
  const troubled = !stays || retained;
  const promising = (family === "funding_chain" || family === "credit_risk") && troubled;
  for (let k = 0; k < contacts; k++) {
    const last = k === contacts - 1;
    const next = last ? null : officeHours(at + rng.between(...t.gapDays) * DAY, tz);
    const notes = troubled && (k === 0 || rng.chance(0.6)) ? rng.pick(RISK_NOTES[family]) : rng.pick(CLEAR_NOTES);
    out.push({ at, taskId: task.id, seq: seq++, kind: "contact", type: k === 0 ? contactType(rng) : rng.chance(0.5) ? "phone" : contactType(rng), notes, promise: promising && k < 2, nextAt: next });
    if (next !== null) at = next;
  }
  const resolveAt = officeHours(at + rng.between(...t.resolveDays) * DAY, tz);
  if (!stays) {
    // After the churn day (or now, when it already happened): wait until the data shows it.
    out.push({ at: Math.max(resolveAt, officeHours((churnAt as number) + rng.between(2, 6) * DAY, tz)), taskId: task.id, seq: seq++, kind: "await_churn", tries: 0 });
  } else if (retained) {
    const outcome: TaskOutcome = family === "funding_chain" ? (rng.chance(0.5) ? "restructured" : "recovered") : "retained";
    const note = outcome === "retained" ? RESOLUTION_NOTES.retained[family] : RESOLUTION_NOTES[outcome];
    out.push({ at: resolveAt, taskId: task.id, seq: seq++, kind: "resolve", outcome, note });
  } else {
    const falseAlarm = rng.chance(0.7);
    out.push({ at: resolveAt, taskId: task.id, seq: seq++, kind: "resolve", outcome: falseAlarm ? "false_alarm" : "retained", note: falseAlarm ? RESOLUTION_NOTES.false_alarm : RESOLUTION_NOTES.retained[family] });
  }
  return out;
}

export type WorkContext = {
  db: Db;
  users: Map<number, Actor>;
  fates: Map<number, Fate>;
  tasks: Map<number, SimTask>;
  closed: Set<number>;
  contacted: Set<number>;
};

export type WorkCounts = { acknowledged: number; followUps: number; promises: number; resolved: Record<string, number> };

/** The customer's amount overdue on a day (installments due before it and not settled by it), in fen. */
async function overdueFen(db: Db, customerId: number, day: string): Promise<number> {
  const [r] = await db.execute<{ fen: string | null }>(sql`
    select sum(i.principal_due_fen + i.interest_due_fen)::text as fen from loans l
    join installments i on i.loan_id = l.id
    left join installment_state s on s.loan_id = i.loan_id and s.installment_no = i.installment_no
    where l.customer_id = ${customerId} and i.due_on < ${day}::date and (s.settled_on is null or s.settled_on > ${day}::date)`);
  return Number(r?.fen ?? 0);
}

async function churnShown(db: Db, customerId: number, day: string): Promise<boolean> {
  const [r] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from churn_events where customer_id = ${customerId} and status = 'detected' and effective_on <= ${day}::date`);
  return (r?.n ?? 0) > 0;
}

/**
 * Carries out one action through the task services, as the assignee, at the action's time. Returns a follow-up
 * action when one is needed (await_churn looks again a week later). Actions on a task that is no longer workable are
 * dropped.
 */
export async function perform(ctx: WorkContext, a: Action, counts: WorkCounts): Promise<Action | null> {
  const task = ctx.tasks.get(a.taskId);
  if (!task) return null;
  if (a.kind === "timer") {
    // Nothing to fire on a closed task, nor a first-contact timer (seq -4, -3) once the customer was reached.
    if (ctx.closed.has(task.id) || (a.seq < -2 && ctx.contacted.has(task.id))) return null;
    await fireDueTimers(ctx.db, new Date(a.at), [task.id]);
    return null;
  }
  if (a.kind === "promise_due") {
    await checkPromises(ctx.db, new Date(a.at));
    return null;
  }
  const actor = ctx.users.get(task.assigneeId);
  if (!actor) return null;
  const scope: Scope = { kind: "owner", rmId: actor.userId, contact: true };
  const now = new Date(a.at);
  const tz = businessTz();
  const day = localDate(a.at, tz);
  try {
    switch (a.kind) {
      case "acknowledge":
        await transitionTask(ctx.db, scope, actor, task.id, { action: "acknowledge" }, now);
        counts.acknowledged++;
        return null;
      case "contact": {
        let notes = a.notes;
        let promise: { amount: string; dueOn: string } | undefined;
        let due: Action | null = null;
        if (a.promise) {
          const fen = await overdueFen(ctx.db, task.customerId, day);
          if (fen > 0) {
            const dueOn = addDays(day, 7 + (a.seq % 2) * 7);
            promise = { amount: (fen / 100).toFixed(2), dueOn };
            notes += promiseNote(fen, dueOn);
            counts.promises++;
            due = { at: localTime(addDays(dueOn, 1), tz, "00:30"), taskId: task.id, seq: a.seq, kind: "promise_due" };
          }
        }
        const nextActionOn = a.nextAt === null ? undefined : localDate(a.nextAt, tz);
        await addFollowUp(ctx.db, scope, actor, task.id, { type: a.type, occurredAt: now.toISOString(), notes, nextActionOn, promise }, now);
        counts.followUps++;
        ctx.contacted.add(task.id);
        return due;
      }
      case "resolve":
        await transitionTask(ctx.db, scope, actor, task.id, { action: "resolve", outcome: a.outcome, note: a.note }, now);
        ctx.closed.add(task.id);
        counts.resolved[a.outcome] = (counts.resolved[a.outcome] ?? 0) + 1;
        return null;
      case "await_churn": {
        const fate = ctx.fates.get(task.customerId);
        // Detection that has not shown the churn after 20 weeks will not: the RM records it as churned anyway.
        if (!fate?.stage || !fate.will || !fate.reasonFamily) return null;
        if (!(await churnShown(ctx.db, task.customerId, day)) && a.tries < 20) {
          if (a.tries % 3 === 2) {
            await addFollowUp(ctx.db, scope, actor, task.id, { type: "phone", occurredAt: now.toISOString(), notes: RISK_NOTES[fate.reasonFamily][a.tries % RISK_NOTES[fate.reasonFamily].length]! }, now);
            counts.followUps++;
            ctx.contacted.add(task.id);
          }
          return { ...a, at: a.at + 7 * DAY, tries: a.tries + 1 };
        }
        await transitionTask(ctx.db, scope, actor, task.id, {
          action: "resolve",
          outcome: "churned",
          note: RESOLUTION_NOTES.churned[fate.reasonFamily],
          churn: { stage: fate.stage, will: fate.will, reasonFamily: fate.reasonFamily },
        }, now);
        counts.resolved.churned = (counts.resolved.churned ?? 0) + 1;
        ctx.closed.add(task.id);
        return null;
      }
    }
  } catch (e) {
    // The task moved on without this step (closed, or already in progress): nothing to do.
    if (e instanceof Conflict) return null;
    throw e;
  }
}
