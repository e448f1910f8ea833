// Wraps server actions — the only way the browser writes: guard, zod-parse the input, run, and return a
// serialisable result instead of throwing. Three shapes: action() for plain writes, writeAction() for writes that
// share their domain function with an /api/v1 route (one transaction, issues in the API's codes, outbox nudged when
// something was emitted), keyedAction() for those a double submit must not repeat (the API's idempotency keys, one
// implementation).
import "server-only";
import { getLocale } from "next-intl/server";
import type { z } from "zod";
import { checkedKey, withIdempotency } from "../api/idempotency";
import { parseInput, writeThenNudge } from "../api/write";
import { guard, type Guarded } from "../auth/guard";
import type { Role } from "../auth/roles";
import { db, type Tx } from "../db/client";
import { parseOrInvalid, type ErrorBody } from "../errors";
import { errorBody } from "./messages";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
/** What a keyed action takes: one key per form submission (a double submit replays the first answer). */
export type Keyed<I> = { key: string; input: I };

/** An expected error in the user's language; anything else logged with a reference the user can quote. */
function failure(e: unknown, locale: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: errorBody(e, locale, undefined, "action").body.error };
}

async function settle<T>(run: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await run();
  } catch (e) {
    return failure(e, await getLocale());
  }
}

export function action<S extends z.ZodType, T>(
  allow: readonly Role[],
  schema: S,
  fn: (input: z.output<S>, g: Guarded) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return (input) =>
    settle(async () => {
      const g = await guard(allow);
      const parsed = parseOrInvalid(schema, input);
      return { ok: true, data: await fn(parsed, g) };
    });
}

type WriteFn<S extends z.ZodType, T> = (input: z.output<S>, g: Guarded, tx: Tx) => Promise<T>;

/** A write the /api/v1 routes also offer: the same transaction, issue codes and outbox nudge as apiWrite(). */
export function writeAction<S extends z.ZodType, T>(allow: readonly Role[], schema: S, fn: WriteFn<S, T>): (input: z.input<S>) => Promise<ActionResult<T>> {
  return (input) =>
    settle(async () => {
      const g = await guard(allow);
      const data = await writeThenNudge(() => db().transaction((tx) => fn(parseInput(schema, input), g, tx)));
      return { ok: true, data };
    });
}

/**
 * writeAction() run once per (user, key) through withIdempotency, the API's own mechanism: the same key and input
 * replay the first answer (success or expected error); the same key with other input is a conflict. `name` stands
 * where the API stores its path, so an action's keys never match a route's.
 */
export function keyedAction<S extends z.ZodType, T>(name: string, allow: readonly Role[], schema: S, fn: WriteFn<S, T>): (req: Keyed<z.input<S>>) => Promise<ActionResult<T>> {
  return (req) =>
    settle(async () => {
      const g = await guard(allow);
      const key = checkedKey(req.key, "key", "actionKey");
      const locale = await getLocale();
      const stored = await writeThenNudge(
        () =>
          withIdempotency(
            db(),
            g.actor.userId,
            { method: "ACTION", path: name, key, rawBody: JSON.stringify(req.input ?? null) },
            async (tx) => ({ status: 200, body: { ok: true, data: await fn(parseInput(schema, req.input), g, tx) } }),
            async (e) => {
              const { status, body } = errorBody(e, locale, undefined, "action");
              return { status, body: { ok: false, error: body.error } };
            },
          ),
        (r) => r.status === 200,
      );
      return stored.body as ActionResult<T>;
    });
}
