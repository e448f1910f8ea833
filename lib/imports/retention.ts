// Uploads of failed imports: kept after the failure so the job's retries (and an admin looking into it) can read the
// file again, then deleted after IMPORT_UPLOAD_RETENTION_DAYS, since the file holds customer data nobody needs.
// Succeeded and rejected imports lose their upload as soon as they finish (./job.ts).
import "server-only";
import { rm } from "node:fs/promises";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { imports } from "../db/schema";

/** Deletes the uploads of imports that failed more than `olderThanDays` ago; returns the ids whose file went. */
export async function purgeFailedUploads(db: Db, olderThanDays: number): Promise<number[]> {
  const due = await db
    .select({ id: imports.id, storedPath: imports.storedPath })
    .from(imports)
    .where(
      and(
        eq(imports.status, "failed"),
        isNotNull(imports.storedPath),
        sql`coalesce(${imports.finishedAt}, ${imports.createdAt}) < now() - make_interval(days => ${olderThanDays})`,
      ),
    )
    .orderBy(imports.id);
  const purged: number[] = [];
  for (const { id, storedPath } of due) {
    // The file first, then the path: a crash in between leaves a path to a missing file, which the next run clears;
    // the other order would leave a file nobody points to.
    await rm(/* turbopackIgnore: true */ storedPath!, { force: true });
    // Only if the import is still that failed upload (a retry may have picked it up meanwhile).
    const [row] = await db
      .update(imports)
      .set({ storedPath: null })
      .where(and(eq(imports.id, id), eq(imports.status, "failed"), eq(imports.storedPath, storedPath!)))
      .returning({ id: imports.id });
    if (row) purged.push(row.id);
  }
  return purged;
}
