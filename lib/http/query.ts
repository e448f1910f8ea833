// A GET route's query string, parsed by its zod schema: an empty parameter means "no filter" (as it does in the
// browser's forms), and a bad one is a 422 naming the parameter.
import type { z } from "zod";
import { parseOrInvalid } from "../errors";

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const raw = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  return parseOrInvalid(schema, raw);
}
