// Wraps server actions: guard, zod-parse the input, run, and return a serialisable result instead of throwing.
import "server-only";
import { getLocale } from "next-intl/server";
import type { z } from "zod";
import { guard, type Guarded } from "../auth/guard";
import type { Role } from "../auth/roles";
import { Invalid, fromZodIssues, type ErrorBody } from "../errors";
import { errorBody } from "./messages";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export function action<S extends z.ZodType, T>(
  allow: readonly Role[],
  schema: S,
  fn: (input: z.output<S>, g: Guarded) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      const g = await guard(allow);
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
      return { ok: true, data: await fn(parsed.data, g) };
    } catch (e) {
      return { ok: false, error: errorBody(e, await getLocale(), undefined, "action").body.error };
    }
  };
}
