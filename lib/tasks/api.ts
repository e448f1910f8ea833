// Glue for the task routes: the shared "now" and domain field issues rendered in the caller's language.
import "server-only";
import { clockNow } from "../clock";
import { db } from "../db/client";
import { AppError, Invalid } from "../errors";
import type { Msg } from "../api/write";

export function now(): Promise<Date> {
  return clockNow(db());
}

/** Re-throws a domain Invalid with each issue's message taken from the catalogue (api.issues.<code>) when it has one. */
export async function localised<T>(msg: Msg, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === "invalid") {
      throw new Invalid(e.issues.map((i) => {
        const text = msg(i.code);
        return text === i.code ? i : { ...i, message: text };
      }));
    }
    throw e;
  }
}
