// Structured logs with ids only: never names, phone numbers, ID numbers or amounts tied to a person.
import pino, { type DestinationStream, type LoggerOptions } from "pino";

// Error fields that say what went wrong without the data involved: Node's system errors, HTTP statuses, and the
// PostgreSQL error fields that name the constraint, table and column (postgres-js spells them this way).
const KEEP = ["code", "errno", "syscall", "status", "statusCode", "severity", "constraint_name", "table_name", "column_name", "schema_name", "data_type_name", "routine", "hint"] as const;
const MAX_DEPTH = 5;

// drizzle's DrizzleQueryError message is "Failed query: <sql>\nparams: <bound values>": the values are cut off.
const FAILED_QUERY = /Failed query: ([\s\S]*?)\nparams: [\s\S]*/;
// A literal written into SQL text (an unsafe or raw query) could be a value; parameterised text has none.
const sqlLiterals = (s: string) => s.replace(/'(?:[^']|'')*'/g, "'…'");

/**
 * A message without the values a database error may carry: drizzle's bound parameters, literals in the query text,
 * and for PostgreSQL data exceptions (SQLSTATE class 22, e.g. `invalid input syntax for type integer: "…"`) the
 * quoted input.
 */
export function scrubErrorMessage(message: string, code?: unknown): string {
  let m = message.replace(FAILED_QUERY, (_all, q: string) => `Failed query: ${sqlLiterals(q)} [params redacted]`);
  if (typeof code === "string" && code.startsWith("22")) m = m.replace(/"(?:[^"]|"")*"/g, '"…"');
  return m;
}

/** An error's message fit for logs and for storing where staff can read it (e.g. a failed import's reason). */
export function safeErrorMessage(e: unknown): string {
  return e instanceof Error ? scrubErrorMessage(e.message, (e as { code?: unknown }).code) : scrubErrorMessage(String(e));
}

/**
 * The same scrubbing applied to an error in place (message and stack), for errors that leave the process as text:
 * BullMQ stores a failed job's message and stack in Redis, where the queue dashboard shows them.
 */
export function scrubErrorInPlace(e: unknown): void {
  if (!(e instanceof Error)) return;
  const message = safeErrorMessage(e);
  if (message === e.message) return;
  const frames = e.stack?.split("\n").filter((l) => /^\s+at /.test(l)) ?? [];
  e.message = message;
  e.stack = [`${e.name}: ${message}`, ...frames].join("\n");
}

type SerializedError = { type: string; message: string; stack?: string; cause?: SerializedError | string; errors?: (SerializedError | string)[] } & Partial<Record<(typeof KEEP)[number], unknown>>;

/**
 * pino's `err` serializer: an allowlist of fields, recursively through `cause` and AggregateError's `errors`.
 * Left out on purpose: drizzle's `params` and `query`, postgres-js's `parameters`, `args` and `query`, and
 * PostgreSQL's `detail` and `where` (`Key (phone)=(…)`, `Failing row contains (…)`).
 */
export function serializeError(e: unknown, depth = 0): SerializedError | string {
  if (!(e instanceof Error)) return typeof e === "string" ? scrubErrorMessage(e) : `non-error thrown: ${typeof e}`;
  const code = (e as { code?: unknown }).code;
  const message = scrubErrorMessage(e.message, code);
  const out: SerializedError = { type: e.constructor?.name ?? e.name, message };
  // The stack's first line repeats the message: it is rebuilt from the scrubbed one.
  const frames = e.stack?.split("\n").filter((l) => /^\s+at /.test(l));
  if (frames) out.stack = [`${e.name}: ${message}`, ...frames].join("\n");
  for (const k of KEEP) {
    const v = (e as unknown as Record<string, unknown>)[k];
    if (typeof v === "string" || typeof v === "number") out[k] = typeof v === "string" ? v.slice(0, 200) : v;
  }
  if (depth < MAX_DEPTH) {
    if (e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
    if (e instanceof AggregateError) out.errors = e.errors.slice(0, 10).map((x: unknown) => serializeError(x, depth + 1));
  }
  return out;
}

export const logOptions: LoggerOptions = {
  level: process.env.LOG_LEVEL ?? "info",
  base: { app: "churnwatch", pid: process.pid },
  redact: { paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization"], remove: true },
  // `err` is where every caller puts an error (or its message): whatever it holds goes through the allowlist.
  serializers: { err: (e: unknown) => serializeError(e) },
};

export function createLogger(destination?: DestinationStream) {
  return destination ? pino(logOptions, destination) : pino(logOptions);
}

export const log = createLogger();
