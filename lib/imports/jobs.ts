// The import worker's jobs: a file run through the engine, and the reconciler for runs whose job Redis lost.
import { z } from "zod";
import { job, type Domain } from "../pipeline/define";
import { isoDateSchema } from "../time";
import { runImportJob } from "./job";
import { reconcileImports } from "./reconcile";
import { importUploadRetentionDays } from "../env";
import { purgeFailedUploads } from "./retention";

export const importsDomain = {
  jobs: {
    // Runs one uploaded file through the import engine (./job.ts); the imports row carries the rest.
    "imports.run": job({
      queue: "imports",
      schema: z.object({ importId: z.number().int().positive(), asOf: isoDateSchema.optional() }),
      handle: (payload, { db, log }) => runImportJob(db, payload, log),
    }),
    // Re-queues imports still waiting a while after upload whose job Redis lost (./reconcile.ts).
    "imports.reconcile": job({
      queue: "system",
      schema: z.object({ olderThanMs: z.number().int().min(0).default(60_000) }),
      handle: async ({ olderThanMs }, { db, log, queues }) => {
        const result = await reconcileImports(db, queues, { olderThanMs });
        if (result.requeued.length) log.warn({ requeued: result.requeued }, "re-queued imports whose jobs were lost");
        return result;
      },
      schedule: { id: "imports.reconcile.sweep", every: 60_000, data: { olderThanMs: 60_000 } },
    }),
    // Deletes the uploads of imports that failed longer ago than the retention (./retention.ts); the schedule
    // carries no number, so a changed IMPORT_UPLOAD_RETENTION_DAYS applies from the next run.
    "imports.purgeFailedUploads": job({
      queue: "system",
      schema: z.object({ olderThanDays: z.number().int().min(1).max(3650).optional() }),
      handle: async ({ olderThanDays }, { db, log }) => {
        const purged = await purgeFailedUploads(db, olderThanDays ?? importUploadRetentionDays());
        if (purged.length) log.info({ imports: purged }, "deleted the uploads of failed imports past their retention");
        return { purged: purged.length };
      },
      schedule: { id: "imports.purgeFailedUploads.daily", pattern: "45 3 * * *", data: {} },
    }),
  },
} satisfies Domain;
