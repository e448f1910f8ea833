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
import { errorResponse } from "../http/route";
import { appErrorMessage } from "../http/messages";
import { importErrorMessage } from "../imports/errors";
import { nudgeOutbox } from "../outbox/dispatch";
import { appQueues } from "../queue/app";
import { idempotencyKeyOf, withIdempotency } from "./idempotency";

export type Msg = (code: string, params?: Record<string, string | number>) => string;

/** Messages for field problems: the import catalogue's value rules first, then the API's own. */
export async function issueMessages(): Promise<Msg> {
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

/** `value` parsed with `schema`, or Invalid with one issue per field worded like every API write's. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, msg: Msg): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Invalid(bodyIssues(parsed.error.issues as ZodIssueLike[], msg));
  return parsed.data;
}

/** After a write that may have recorded outbox rows: the sweep would send them within seconds; this makes it now. */
export async function nudgeAfterWrite(): Promise<void> {
  await nudgeOutbox(appQueues()).catch(() => {});
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
    const rawBody = await req.text();
    const msg = await issueMessages();
    const result = await withIdempotency(
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
        return { status: 201, body: await fn(parseInput(schema, json, msg), g, tx, msg) };
      },
      render,
    );
    if (!result.replayed && result.status === 201) await nudgeAfterWrite();
    return NextResponse.json(result.body, { status: result.status, headers: result.replayed ? { "Idempotent-Replayed": "true" } : {} });
  } catch (e) {
    return errorResponse(e);
  }
}
