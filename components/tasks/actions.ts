"use server";
// The task workflow's writes from the browser. Each calls the same domain function as its /api/v1/tasks route;
// transitions and follow-ups are keyed (one key per form submission), so a double submit records once.
import { z } from "zod";
import { keyedAction, writeAction, type ActionResult, type Keyed } from "@/lib/http/action";
import { now } from "@/lib/tasks/api";
import {
  acknowledgeSchema,
  acknowledgeTasks,
  addParsedFollowUp,
  checklistSchema,
  followUpSchema,
  setChecklistItem,
  transitionSchema,
  transitionTask,
  type FollowUpInput,
  type TransitionInput,
} from "@/lib/tasks/service";
import type { TaskStatus } from "@/lib/vocabulary";

const WORKERS = ["rm", "supervisor", "admin"] as const;
const onTask = z.object({ taskId: z.number().int().positive() });

const transition = keyedAction("tasks.transition", WORKERS, onTask.and(transitionSchema), async ({ taskId, ...body }, { actor, scope }, tx) =>
  transitionTask(tx, scope, actor, taskId, body, await now()),
);
const followUp = keyedAction("tasks.followUp", WORKERS, onTask.and(followUpSchema), async ({ taskId, ...body }, { actor, scope }, tx) =>
  addParsedFollowUp(tx, scope, actor, taskId, body, await now()),
);
const tick = writeAction(WORKERS, onTask.and(checklistSchema), async ({ taskId, itemKey, checked }, { actor, scope }, tx) =>
  setChecklistItem(tx, scope, actor, taskId, itemKey, checked, await now()),
);
const acknowledge = writeAction(WORKERS, acknowledgeSchema, async ({ ids }, { actor, scope }, tx) => acknowledgeTasks(tx, scope, actor, ids, await now()));

type OnTask<T> = { taskId: number } & T;

export async function transitionTaskAction(req: Keyed<OnTask<TransitionInput>>): Promise<ActionResult<{ id: number; status: TaskStatus; version: number }>> {
  return transition(req);
}
export async function addFollowUpAction(req: Keyed<OnTask<FollowUpInput>>): Promise<ActionResult<{ id: number; taskStatus: TaskStatus }>> {
  return followUp(req);
}
export async function setChecklistItemAction(input: OnTask<{ itemKey: string; checked: boolean }>): Promise<ActionResult<{ checked: boolean }>> {
  return tick(input);
}
export async function acknowledgeTasksAction(input: { ids: number[] }): Promise<ActionResult<{ acknowledged: number[] }>> {
  return acknowledge(input);
}
