// A detail page's [id]: malformed, unknown and out of scope all answer the same 404, so a page tells no one which
// ids exist.
import "server-only";
import { notFound } from "next/navigation";
import { NotFound } from "../errors";

/** The route's numeric id, or 404 (at most `digits` digits: 9 fits an int4 id, warnings' bigint ids allow 15). */
export function pageId(raw: string, digits = 9): number {
  const id = new RegExp(`^\\d{1,${digits}}$`).test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) notFound();
  return id;
}

/** What the domain read, or 404 when it says NotFound (out of scope and unknown look the same). */
export function orNotFound<T>(read: Promise<T>): Promise<T> {
  return read.catch((e: unknown) => {
    if (e instanceof NotFound) notFound();
    throw e;
  });
}
