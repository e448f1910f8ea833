// Wraps route handlers: maps expected errors to their status with a localised message, logs the rest with a ref.
import "server-only";
import { getLocale } from "next-intl/server";
import { NextResponse } from "next/server";
import { Throttled } from "../errors";
import { errorBody } from "./messages";

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

/** The error answer in the caller's language; `status` overrides the error's own (e.g. 413 for a too-large body). */
export async function errorResponse(e: unknown, status?: number): Promise<Response> {
  const r = errorBody(e, await getLocale(), status, "route");
  return NextResponse.json(r.body, { status: r.status, headers: e instanceof Throttled ? { "retry-after": String(e.retryAfter) } : {} });
}
