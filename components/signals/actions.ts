"use server";
// The lexicon's maker-checker from the admin screen: propose (keyed: a double submit proposes once), approve and
// reject (never one's own proposal: lib/signals/versions enforces it and audits), and the try box.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { action, keyedAction, writeAction, type ActionResult, type Keyed } from "@/lib/http/action";
import { analyseNote } from "@/lib/signals/engine";
import { activeEngine, approveLexicon, engineOfVersion, LEXICON_EDITORS, proposeLexicon, rejectLexicon } from "@/lib/signals/versions";
import { decisionNoteSchema } from "@/lib/auth/makerChecker";
import type { NoteSignals } from "@/lib/signals/types";

const id = z.number().int().positive();

const propose = keyedAction("signals.proposeLexicon", LEXICON_EDITORS, z.object({ lexicon: z.unknown(), note: z.string().max(500).optional() }), async ({ lexicon, note }, { actor }, tx) => {
  const r = await proposeLexicon(tx, actor, lexicon, note);
  revalidatePath("/admin/signals");
  return r;
});
const approve = writeAction(LEXICON_EDITORS, z.object({ versionId: id }), async ({ versionId }, { actor }, tx) => {
  await approveLexicon(tx, actor, versionId);
  revalidatePath("/admin/signals");
});
const reject = writeAction(LEXICON_EDITORS, z.object({ versionId: id, note: decisionNoteSchema }), async ({ versionId, note }, { actor }, tx) => {
  await rejectLexicon(tx, actor, versionId, note);
  revalidatePath("/admin/signals");
});
// Reads only: the note is analysed with the active lexicon and, when given, a proposal; nothing is stored.
const tryNote = action(LEXICON_EDITORS, z.object({ text: z.string().trim().min(1).max(2_000), versionId: id.optional() }), async ({ text, versionId }) => ({
  active: analyseNote(text, await activeEngine(db())),
  proposed: versionId === undefined ? null : analyseNote(text, await engineOfVersion(db(), versionId)),
}));

export async function proposeLexiconAction(req: Keyed<{ lexicon: unknown; note?: string }>): Promise<ActionResult<{ id: number; version: number }>> {
  return propose(req);
}
export async function approveLexiconAction(input: { versionId: number }): Promise<ActionResult<void>> {
  return approve(input);
}
export async function rejectLexiconAction(input: { versionId: number; note: string }): Promise<ActionResult<void>> {
  return reject(input);
}
export async function tryLexiconAction(input: { text: string; versionId?: number }): Promise<ActionResult<{ active: NoteSignals; proposed: NoteSignals | null }>> {
  return tryNote(input);
}
