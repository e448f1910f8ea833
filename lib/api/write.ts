// The shape shared by every /api/v1 write: guard → Idempotency-Key → zod body → domain function in a transaction
// → 201 (or the stored answer of the first request with that key).
import "server-only";
import { getLocale } from "next-intl/server";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { guard, type Guarded } from "../auth/guard";
import type { Role } from "../auth/roles";
import { db, type Tx } from "../db/client";
import { Invalid, type Issue, type IssueParams } from "../errors";
import { readBodyText } from "../http/body";
import { errorBody } from "../http/messages";
import { appQueues } from "../http/queues";
import { errorResponse } from "../http/route";
import { nudgeOutbox } from "../pipeline/dispatch";
import { trackEmissions } from "../pipeline/emit";
import { idempotencyKeyOf, withIdempotency } from "./idempotency";

type ZodIssueLike = { code: string; path: readonly PropertyKey[]; message: string; input?: unknown; params?: Record<string, unknown>; keys?: string[]; values?: unknown[] };

/** A request body's zod issues in the API's codes (custom refinements carry their own code and params). */
export function bodyIssues(issues: readonly ZodIssueLike[]): Issue[] {
  return issues.map((i) => {
    const field = i.path.map(String).join(".") || "(body)";
    if (i.code === "custom") return { field, code: i.message, params: (i.params ?? {}) as IssueParams };
    if (i.code === "invalid_type" && i.input === undefined) return { field, code: "required" };
    if (i.code === "unrecognized_keys") return { field: [field === "(body)" ? "" : field, ...(i.keys ?? [])].filter(Boolean).join("."), code: "unknownField", params: { keys: (i.keys ?? []).join(", ") } };
    if (i.code === "invalid_value") return { field, code: "enum.invalid", params: { value: String(i.input), allowed: (i.values ?? []).join(", ") } };
    return { field, code: i.code, key: "invalidValue" };
  });
}

/** `value` parsed with `schema`, or Invalid with one issue per field in the API's codes (as every API write reports). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Invalid(bodyIssues(parsed.error.issues as ZodIssueLike[]));
  return parsed.data;
}

/**
 * Runs a write, then nudges the outbox dispatcher if it emitted rows and `committed` says they were kept (an expected
 * error stored by withIdempotency rolled them back): the sweep would send them within seconds; the nudge makes it now.
 */
export async function writeThenNudge<T>(run: () => Promise<T>, committed: (result: T) => boolean = () => true): Promise<T> {
  const { result, emitted } = await trackEmissions(run);
  if (emitted && committed(result)) await nudgeOutbox(appQueues()).catch(() => {});
  return result;
}

export async function apiWrite<S extends z.ZodType>(
  req: Request,
  allow: readonly Role[],
  schema: S,
  fn: (input: z.output<S>, g: Guarded, tx: Tx) => Promise<unknown>,
  // 202 for a write that records work for a worker (a report to generate) rather than the finished resource.
  opts: { status?: 201 | 202 } = {},
): Promise<Response> {
  const ok = opts.status ?? 201;
  try {
    const g = await guard(allow, req);
    const key = idempotencyKeyOf(req);
    // Before anything is parsed or stored: an over-size body is refused while it streams in.
    const rawBody = await readBodyText(req);
    const locale = await getLocale();
    const result = await writeThenNudge(
      () =>
        withIdempotency(
          db(),
          g.actor.userId,
          { method: req.method, path: new URL(req.url).pathname, key, rawBody },
          async (tx) => {
            let json: unknown;
            try {
              // An action without parameters (approve, lock) may send no body at all.
              json = JSON.parse(rawBody.trim() === "" ? "{}" : rawBody);
            } catch {
              throw new Invalid([{ field: "(body)", code: "json" }]);
            }
            return { status: ok, body: await fn(parseInput(schema, json), g, tx) };
          },
          async (e) => errorBody(e, locale),
        ),
      (r) => r.status === ok,
    );
    return NextResponse.json(result.body, { status: result.status, headers: result.replayed ? { "Idempotent-Replayed": "true" } : {} });
  } catch (e) {
    return errorResponse(e);
  }
}
