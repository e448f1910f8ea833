// Expected errors carry a stable code; their text comes from the message catalogue (errors.<code>) in the
// user's language. Anything else is unexpected: logged with a reference id, shown as a generic message.
// Both are worded in one place, lib/http/messages.ts, when they leave the server.
import type { z } from "zod";
export type ErrorCode = "unauthenticated" | "forbidden" | "notFound" | "conflict" | "invalid" | "tooLarge" | "throttled" | "unavailable";

export type IssueParams = Record<string, string | number>;

/**
 * A problem with one input field, as data: a stable code (what API clients and forms match on) and its params.
 * Domain code never words it; lib/http/messages.ts renders it from the catalogue (issues.<key ?? code>) in the
 * reader's language.
 */
export type Issue = {
  field: string;
  code: string;
  params?: IssueParams;
  /** The catalogue entry when it is not the code itself (one public code, several wordings). */
  key?: string;
  /** Wording from a library that the catalogue has no entry for (zod's own messages, the condition checker). */
  detail?: string;
};

/** An issue as a client receives it. */
export type FieldIssue = { field: string; code: string; message: string };

/** What every error answer carries under `error` (API bodies, route handlers, server actions). */
export type ErrorBody = { code: string; message: string; issues?: FieldIssue[]; ref?: string };

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    public readonly params: IssueParams = {},
    public readonly issues: Issue[] = [],
  ) {
    super(code);
    this.name = "AppError";
  }
}

export class NotFound extends AppError {
  constructor(public readonly entity = "resource") {
    super("notFound", { entity });
  }
}
export class Forbidden extends AppError {
  constructor() {
    super("forbidden");
  }
}
export class Unauthenticated extends AppError {
  constructor() {
    super("unauthenticated");
  }
}
export class Conflict extends AppError {
  constructor(reason: string) {
    super("conflict", { reason });
  }
}
export class Invalid extends AppError {
  constructor(issues: Issue[]) {
    super("invalid", { count: issues.length }, issues);
  }
}

/** A cookie-authenticated write that did not come from the app's own pages (cross-site request forgery). */
export class CrossSite extends AppError {
  constructor() {
    super("forbidden", { reason: "crossSite" });
  }
}
/** A request body over the limit (`max` as the user reads it, e.g. "1 MB"). */
export class TooLarge extends AppError {
  constructor(max: string) {
    super("tooLarge", { max });
  }
}
/** Too many requests: `retryAfter` seconds until the next one is accepted (the Retry-After header). */
export class Throttled extends AppError {
  constructor(public readonly retryAfter: number) {
    super("throttled");
  }
}

export const httpStatus: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  invalid: 422,
  tooLarge: 413,
  throttled: 429,
  unavailable: 503,
};

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Turns zod issues into field issues with a dotted path, for forms and the API's 422 body. */
export function fromZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[]): Issue[] {
  return issues.map((i) => ({ field: i.path.map(String).join(".") || "(root)", code: i.code, detail: i.message }));
}

/**
 * Parses input with its schema or throws Invalid naming each bad field (under `field` when the input is one field of
 * a larger form): the one way domain code turns bad input into a 422 the UI and the API localise the same way.
 */
export function parseOrInvalid<S extends z.ZodType>(schema: S, input: unknown, field?: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new Invalid(fromZodIssues(field ? r.error.issues.map((i) => ({ ...i, path: [field, ...i.path] })) : r.error.issues));
}

/** Whether a database error is a unique-constraint violation (two writers raced past a "does it exist?" check). */
export function isUniqueViolation(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 3; cur = (cur as { cause?: unknown }).cause, depth++) {
    if ((cur as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
