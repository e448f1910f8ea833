"use client";
// The one way a screen reads from the browser: typed GETs of the app's JSON routes (the guard scopes every answer),
// used as the queryFn of useQuery. Writes go through server actions (useAction.ts); see the README.
import type { FieldIssue } from "@/lib/errors";

type Param = string | number | boolean | null | undefined;
export type Params = Record<string, Param>;

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** `params` as a query string; unset and empty values are left out. */
export function queryString(params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  return q.toString();
}

/** GET `path` as JSON; a non-2xx answer throws HttpError with the server's message (its field issues when it has them). */
export async function getJson<T>(path: string, params?: Params): Promise<T> {
  const qs = queryString(params);
  const res = await fetch(qs ? `${path}?${qs}` : path, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = (await res.json().catch(() => null)) as (T & { error?: { code?: string; message?: string; issues?: FieldIssue[] } }) | null;
  if (res.ok && body) return body;
  const issues = body?.error?.issues ?? [];
  const text = issues.map((i) => i.message).filter(Boolean);
  throw new HttpError(text.length ? text.join(" ") : (body?.error?.message ?? res.statusText), res.status, body?.error?.code ?? "http", issues);
}
