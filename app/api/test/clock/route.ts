// Test-only clock control: POST {advanceMs} moves the shared clock (and fires whatever fell due), DELETE resets it.
// Answers 404 unless the server runs with CHURNWATCH_TEST_HOOKS=1, which `npm start` refuses; admins only.
import { z } from "zod";
import { guard } from "@/lib/auth/guard";
import { advanceClock, clockNow, resetClock, testHooksEnabled } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { Invalid, NotFound, fromZodIssues } from "@/lib/errors";
import { readBodyJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { checkPromises, fireDueTimers, fireNextActions } from "@/lib/tasks/timers";

export const dynamic = "force-dynamic";

const body = z.object({ advanceMs: z.number().int().min(-400 * 86_400_000).max(400 * 86_400_000) });

export const POST = route(async (req) => {
  if (!testHooksEnabled()) throw new NotFound();
  await guard(["admin"], req);
  const parsed = body.safeParse(await readBodyJson(req));
  if (!parsed.success) throw new Invalid(fromZodIssues(parsed.error.issues));
  const now = await advanceClock(db(), parsed.data.advanceMs);
  // What a worker's minute sweep would do, done now so a test need not wait for it.
  const fired = await fireDueTimers(db(), now);
  await checkPromises(db(), now);
  await fireNextActions(db(), now);
  return { now: now.toISOString(), fired };
});

export const DELETE = route(async (req) => {
  if (!testHooksEnabled()) throw new NotFound();
  await guard(["admin"], req);
  await resetClock(db());
  return { now: (await clockNow(db())).toISOString() };
});
