// The text-signal domain's job: the nightly tagging of follow-up notes with the active lexicon version (./store.ts).
import { z } from "zod";
import { job, type Domain } from "../pipeline/define";
import { tagPendingFollowUps } from "./store";

export const signalsDomain = {
  jobs: {
    // Tags every follow-up the active lexicon version has not tagged yet: the notes of the day (any the write path
    // missed), and all notes once after a new version is activated. Idempotent: a re-run finds nothing to do.
    "signals.tagFollowUps": job({
      queue: "system",
      schema: z.object({ batch: z.number().int().min(1).max(20_000).default(2_000) }),
      handle: async ({ batch }, { db, log }) => {
        const result = await tagPendingFollowUps(db, { batch, onBatch: (done) => log.info({ done }, "follow-up notes tagged") });
        log.info(result, "follow-up tagging finished");
        return result;
      },
      // 00:30 business time, before the COB evaluates the note features.
      schedule: { id: "signals.tagFollowUps.daily", pattern: "30 0 * * *", data: { batch: 2_000 } },
    }),
  },
} satisfies Domain;
