// Glue for the task routes: the shared "now" (the server clock that test runs may move), and the one shape of a
// write to one task.
import "server-only";
import type { z } from "zod";
import { apiWrite } from "../api/write";
import type { Actor } from "../auth/roles";
import type { Scope } from "../auth/scope";
import { clockNow } from "../clock";
import { db, type Tx } from "../db/client";
import { NotFound } from "../errors";

export function now(): Promise<Date> {
  return clockNow(db());
}

type TaskWriteFn<S extends z.ZodType> = (tx: Tx, scope: Scope, actor: Actor, taskId: number, body: z.output<S>, now: Date) => Promise<unknown>;

/** POST /api/v1/tasks/{id}/…: an idempotent write by an RM, supervisor or admin to the task `id` (not a number: 404). */
export function taskWrite<S extends z.ZodType>(schema: S, fn: TaskWriteFn<S>) {
  return async (req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> => {
    const { id } = await ctx.params;
    return apiWrite(req, ["rm", "supervisor", "admin"], schema, async (body, { actor, scope }, tx) => {
      if (!/^\d{1,9}$/.test(id)) throw new NotFound("task");
      return fn(tx, scope, actor, Number(id), body, await now());
    });
  };
}
