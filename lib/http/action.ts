// Wraps server actions: guard, zod-parse the input, run, and return a serialisable result instead of throwing.
import "server-only";
import { randomUUID } from "node:crypto";
import { getTranslations } from "next-intl/server";
import type { z } from "zod";
import { guard, type Guarded } from "../auth/guard";
import type { Role } from "../auth/roles";
import { Invalid, fromZodIssues, isAppError, type FieldIssue } from "../errors";
import { log } from "../log";
import { appErrorMessage } from "./messages";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; issues?: FieldIssue[] } };

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
      const t = await getTranslations("errors");
      if (isAppError(e)) {
        return { ok: false, error: { code: e.code, message: appErrorMessage(t, e), ...(e.issues.length ? { issues: e.issues } : {}) } };
      }
      const ref = randomUUID().slice(0, 8);
      log.error({ err: e, ref }, "unhandled error in action");
      return { ok: false, error: { code: "internal", message: t("internal", { ref }) } };
    }
  };
}
