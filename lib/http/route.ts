// Wraps route handlers: maps expected errors to their status with a localised message, logs the rest with a ref.
import "server-only";
import { randomUUID } from "node:crypto";
import { getTranslations } from "next-intl/server";
import { NextResponse } from "next/server";
import { httpStatus, isAppError, Throttled } from "../errors";
import { log } from "../log";
import { appErrorMessage } from "./messages";

type Ctx<P> = { params: Promise<P> };

export function route<P = Record<string, string>>(handler: (req: Request, params: P) => Promise<Response | unknown>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    try {
      const result = await handler(req, await ctx.params);
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export async function errorResponse(e: unknown): Promise<Response> {
  const t = await getTranslations("errors");
  if (isAppError(e)) {
    const body = {
      error: {
        code: e.code,
        message: appErrorMessage(t, e),
        ...(e.issues.length ? { issues: e.issues } : {}),
      },
    };
    return NextResponse.json(body, { status: httpStatus[e.code], headers: e instanceof Throttled ? { "retry-after": String(e.retryAfter) } : {} });
  }
  const ref = randomUUID().slice(0, 8);
  log.error({ err: e, ref }, "unhandled error in route");
  return NextResponse.json({ error: { code: "internal", message: t("internal", { ref }), ref } }, { status: 500 });
}
