// The pipeline's own jobs: the outbox dispatcher, its reconciler and the purge of confirmed rows.
import { z } from "zod";
import { job, type Domain } from "./define";
import { dispatchOutbox, purgeOutbox, reconcileOutbox } from "./dispatch";

export const pipelineDomain = {
  jobs: {
    // Moves pending outbox rows to their jobs; scheduled every few seconds and nudged after writes.
    "outbox.dispatch": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_d, { db, queues, log }) => {
        const r = await dispatchOutbox(db, queues);
        if (r.invalid) log.error({ outboxIds: r.invalid }, "outbox rows whose payload does not match their topic");
        return r;
      },
      // The lost-nudge safety net: whatever a lost nudge or a Redis flush left pending goes out within seconds.
      schedule: { id: "outbox.dispatch.sweep", every: 5_000, data: {} },
      // Warms the claim statement on the pool, so the first events after a start do not pay for its planning.
      warm: async ({ db, queues }) => void (await dispatchOutbox(db, queues, 1)),
    }),
    // Re-sends outbox work whose jobs Redis lost, and confirms what completed.
    "outbox.reconcile": job({
      queue: "system",
      schema: z.object({ olderThanMs: z.number().int().min(0).default(60_000) }),
      handle: async ({ olderThanMs }, { db, queues, log }) => {
        const r = await reconcileOutbox(db, queues, { olderThanMs });
        if (r.invalid) log.error({ outboxIds: r.invalid }, "outbox rows whose payload does not match their topic");
        return r;
      },
      schedule: { id: "outbox.reconcile.sweep", every: 60_000, data: { olderThanMs: 60_000 } },
    }),
    // Deletes outbox rows whose work was confirmed more than a week ago (their history is in the audit log and the
    // warnings' own events).
    "outbox.purgeConfirmed": job({
      queue: "system",
      schema: z.object({ olderThanDays: z.number().int().min(1).max(365).default(7) }),
      handle: async ({ olderThanDays }, { db }) => ({ purged: await purgeOutbox(db, olderThanDays) }),
      schedule: { id: "outbox.purgeConfirmed.daily", pattern: "40 3 * * *", data: { olderThanDays: 7 } },
    }),
  },
} satisfies Domain;
