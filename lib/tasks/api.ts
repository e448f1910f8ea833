// Glue for the task routes: the shared "now" (the server clock that test runs may move).
import "server-only";
import { clockNow } from "../clock";
import { db } from "../db/client";

export function now(): Promise<Date> {
  return clockNow(db());
}
