// Stored text signals of follow-up notes: the nightly job and the write path tag notes with the active lexicon
// version, one row per (note, signal) in follow_up_signals, and mark each note tagged in follow_up_tagging (notes
// with no signal too), so a run only reads what the active version has not seen and re-running changes nothing.
import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { log } from "../log";
import { tagNotes } from "./batch";
import type { Engine } from "./engine";
import { activeEngine } from "./versions";

export const TAG_BATCH = 2_000;

/**
 * Tags the given follow-ups (or, without ids, up to `limit` follow-ups the engine's version has not tagged yet) and
 * replaces their stored signals, in one transaction. Returns how many notes were tagged and how many signal rows
 * were written. Idempotent: tagging a note again with the same version writes the same rows.
 */
export async function tagFollowUps(db: DbOrTx, engine: Engine, o: { ids?: readonly number[]; limit?: number } = {}): Promise<{ notes: number; signals: number }> {
  const version = engine.version;
  // The tagger reads the note itself (a system job, no user's scope); what it stores carries no text.
  /* eslint-disable no-restricted-syntax */
  const notes = o.ids
    ? await db.execute<{ id: number; notes: string }>(sql`select f.id, f.notes from follow_ups f where f.id = any(${`{${o.ids.join(",")}}`}::int[]) order by f.id`)
    : await db.execute<{ id: number; notes: string }>(sql`
        select f.id, f.notes from follow_ups f left join follow_up_tagging g on g.follow_up_id = f.id
        where g.follow_up_id is null or g.lexicon_version <> ${version}
        order by f.id limit ${o.limit ?? TAG_BATCH}`);
  /* eslint-enable no-restricted-syntax */
  if (notes.length === 0) return { notes: 0, signals: 0 };
  const rows = tagNotes(
    notes.map((n) => ({ id: n.id, text: n.notes })),
    engine,
  );
  const ids = `{${notes.map((n) => n.id).join(",")}}`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from follow_up_signals where follow_up_id = any(${ids}::int[])`);
    if (rows.length) {
      const values = rows.map(
        (r) => sql`(${r.noteId}::int, ${r.signal}, ${r.polarity}, ${r.reasonFamily}::reason_family, ${r.intensity}::numeric, ${r.mentions}::smallint, ${r.start}::int, ${r.end}::int, ${r.lexicon})`,
      );
      await tx.execute(sql`insert into follow_up_signals (follow_up_id, signal, polarity, reason_family, intensity, mentions, span_start, span_end, lexicon_version)
        values ${sql.join(values, sql`, `)}`);
    }
    await tx.execute(sql`insert into follow_up_tagging (follow_up_id, lexicon_version)
      select unnest(${ids}::int[]), ${version}
      on conflict (follow_up_id) do update set lexicon_version = excluded.lexicon_version, tagged_at = now()`);
  });
  return { notes: notes.length, signals: rows.length };
}

/**
 * The nightly run: every follow-up not yet tagged by the active lexicon version, in batches (a new active version
 * re-tags all notes once). `onBatch` reports progress.
 */
export async function tagPendingFollowUps(db: DbOrTx, o: { batch?: number; onBatch?: (done: number) => Promise<void> | void } = {}): Promise<{ lexicon: string; notes: number; signals: number }> {
  const engine = await activeEngine(db);
  let notes = 0;
  let signals = 0;
  for (;;) {
    const r = await tagFollowUps(db, engine, { limit: o.batch ?? TAG_BATCH });
    if (r.notes === 0) break;
    notes += r.notes;
    signals += r.signals;
    await o.onBatch?.(notes);
  }
  return { lexicon: engine.version, notes, signals };
}

/** Tags freshly written follow-ups with the active version (the write path; the nightly run catches any it missed). */
export async function tagNewFollowUps(db: DbOrTx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tagFollowUps(db, await activeEngine(db), { ids });
}

/**
 * Tags a follow-up's note with the active lexicon right after it is saved, so the task page and the note features
 * see its signals at once. Outside the follow-up's transaction: a tagging failure must not lose the note, and the
 * nightly run (lib/signals/jobs.ts) tags whatever was missed.
 */
export async function tagOnWrite(db: DbOrTx, followUpId: number): Promise<void> {
  try {
    await tagNewFollowUps(db, [followUpId]);
  } catch (err) {
    log.warn({ followUpId, err }, "tagging a new follow-up failed; the nightly run will tag it");
  }
}
