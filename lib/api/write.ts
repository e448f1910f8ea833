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

export async function apiWrite<S extends z.ZodType>(
  req: Request,
  allow: readonly Role[],
  schema: S,
  fn: (input: z.output<S>, g: Guarded, tx: Tx) => Promise<unknown>,
): Promise<Response> {
  try {
    const g = await guard(allow, req);
    const key = idempotencyKeyOf(req);
    // Before anything is parsed or stored: an over-size body is refused while it streams in.
    const rawBody = await readBodyText(req);
    const locale = await getLocale();
    const { result, emitted } = await trackEmissions(() =>
      withIdempotency(
        db(),
        g.actor.userId,
        { method: req.method, path: new URL(req.url).pathname, key, rawBody },
        async (tx) => {
          let json: unknown;
          try {
            json = JSON.parse(rawBody);
          } catch {
            throw new Invalid([{ field: "(body)", code: "json" }]);
          }
          const parsed = schema.safeParse(json);
          if (!parsed.success) throw new Invalid(bodyIssues(parsed.error.issues as ZodIssueLike[]));
          return { status: 201, body: await fn(parsed.data, g, tx) };
        },
        async (e) => errorBody(e, locale),
      ),
    );
    // The outbox sweep would send the work within seconds anyway; the nudge makes it immediate.
    if (emitted && result.status === 201) await nudgeOutbox(appQueues()).catch(() => {});
    return NextResponse.json(result.body, { status: result.status, headers: result.replayed ? { "Idempotent-Replayed": "true" } : {} });
  } catch (e) {
    return errorResponse(e);
  }
}
