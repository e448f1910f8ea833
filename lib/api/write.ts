// The shape shared by every /api/v1 write: guard → Idempotency-Key → zod body → domain function in a transaction
// → 201 (or the stored answer of the first request with that key).
import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { guard, type Guarded } from "../auth/guard";
import type { Role } from "../auth/roles";
import { db, type Tx } from "../db/client";
import { AppError, httpStatus, Invalid, type FieldIssue } from "../errors";
import { readBodyText } from "../http/body";
import { errorResponse } from "../http/route";
import { appErrorMessage } from "../http/messages";
import { importErrorMessage } from "../imports/errors";
import { appQueues } from "../http/queues";
import { nudgeOutbox } from "../pipeline/dispatch";
import { trackEmissions } from "../pipeline/emit";
import { idempotencyKeyOf, withIdempotency } from "./idempotency";

export type Msg = (code: string, params?: Record<string, string | number>) => string;

/** Messages for field problems: the import catalogue's value rules first, then the API's own. */
async function messages(): Promise<Msg> {
  const locale = await getLocale();
  const t = await getTranslations("api");
  return (code, params = {}) => {
    const text = importErrorMessage({ code, params }, locale);
    if (text !== code) return text;
    return t.has(`issues.${code}`) ? t(`issues.${code}`, params) : code;
  };
}

type ZodIssueLike = { code: string; path: readonly PropertyKey[]; message: string; input?: unknown; params?: Record<string, unknown>; keys?: string[]; values?: unknown[] };

export function bodyIssues(issues: readonly ZodIssueLike[], msg: Msg): FieldIssue[] {
  return issues.map((i) => {
    const field = i.path.map(String).join(".") || "(body)";
    if (i.code === "custom") return { field, code: i.message, message: msg(i.message, (i.params ?? {}) as Record<string, string | number>) };
    if (i.code === "invalid_type" && i.input === undefined) return { field, code: "required", message: msg("required") };
    if (i.code === "unrecognized_keys") return { field: [field === "(body)" ? "" : field, ...(i.keys ?? [])].filter(Boolean).join("."), code: "unknownField", message: msg("unknownField", { keys: (i.keys ?? []).join(", ") }) };
    if (i.code === "invalid_value") return { field, code: "enum.invalid", message: msg("enum.invalid", { value: String(i.input), allowed: (i.values ?? []).join(", ") }) };
    return { field, code: i.code, message: msg("invalidValue") };
  });
}

async function render(e: AppError): Promise<{ status: number; body: unknown }> {
  const t = await getTranslations("errors");
  return { status: httpStatus[e.code], body: { error: { code: e.code, message: appErrorMessage(t, e), ...(e.issues.length ? { issues: e.issues } : {}) } } };
}

export async function apiWrite<S extends z.ZodType>(
  req: Request,
  allow: readonly Role[],
  schema: S,
  fn: (input: z.output<S>, g: Guarded, tx: Tx, msg: Msg) => Promise<unknown>,
): Promise<Response> {
  try {
    const g = await guard(allow, req);
    const key = idempotencyKeyOf(req);
    // Before anything is parsed or stored: an over-size body is refused while it streams in.
    const rawBody = await readBodyText(req);
    const msg = await messages();
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
            throw new Invalid([{ field: "(body)", code: "json", message: msg("json") }]);
          }
          const parsed = schema.safeParse(json);
          if (!parsed.success) throw new Invalid(bodyIssues(parsed.error.issues as ZodIssueLike[], msg));
          return { status: 201, body: await fn(parsed.data, g, tx, msg) };
        },
        render,
      ),
    );
    // The outbox sweep would send the work within seconds anyway; the nudge makes it immediate.
    if (emitted && result.status === 201) await nudgeOutbox(appQueues()).catch(() => {});
    return NextResponse.json(result.body, { status: result.status, headers: result.replayed ? { "Idempotent-Replayed": "true" } : {} });
  } catch (e) {
    return errorResponse(e);
  }
}
