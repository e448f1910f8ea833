// POST /api/imports — an admin uploads a file (multipart: file, kind, encoding, dryRun); it is streamed to disk,
// recorded and queued for the worker; answers {id} at once. GET /api/imports — every import, newest first, paged.
import { rm } from "node:fs/promises";
import path from "node:path";
import { NextResponse } from "next/server";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { fromZodIssues, Invalid } from "@/lib/errors";
import { parseQuery } from "@/lib/http/query";
import { errorResponse, route } from "@/lib/http/route";
import { IMPORT_KINDS } from "@/lib/imports/columns";
import { createImport, enqueueImport } from "@/lib/imports/job";
import { importListQuery, listImports } from "@/lib/imports/queries";
import { receiveUpload, UploadError } from "@/lib/imports/upload";
import { formatBytes, MAX_UPLOAD_BYTES, UPLOAD_ENCODINGS } from "@/lib/imports/view";
import { log } from "@/lib/log";
import { appQueues } from "@/lib/http/queues";
import { DATA_DIR } from "@/lib/runtime/localEnv";

export const dynamic = "force-dynamic";

const uploadFields = z.object({
  kind: z.enum(IMPORT_KINDS),
  encoding: z.enum(UPLOAD_ENCODINGS).default("auto"),
  dryRun: z
    .enum(["true", "false", "1", "0", "on", "off", ""])
    .default("false")
    .transform((v) => v === "true" || v === "1" || v === "on"),
});

// Multipart framing around the file: a few hundred bytes, generously rounded.
const FRAMING_BYTES = 64 * 1024;

export const POST = route(async (req) => {
  const { actor } = await guard(["admin"], req);
  const problem = (field: string, code: string) => new Invalid([{ field, code, key: `upload.${code}` }]);

  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES + FRAMING_BYTES) return tooLarge();

  const upload = await receiveUpload(req, { dir: path.join(DATA_DIR, "uploads"), maxBytes: MAX_UPLOAD_BYTES }).catch((e: unknown) => {
    if (!(e instanceof UploadError)) throw e;
    if (e.code === "tooLarge") return tooLarge();
    throw problem(e.code === "tooManyFiles" || e.code === "noFile" ? "file" : "(root)", e.code);
  });
  if (upload instanceof Response) return upload;
  const { file } = upload;
  const parsed = uploadFields.safeParse(upload.fields);
  if (!parsed.success || !file) {
    if (file) await rm(file.path, { force: true });
    if (!parsed.success) {
      const issues = fromZodIssues(parsed.error.issues).map((i) => (["kind", "encoding", "dryRun"].includes(i.field) ? { ...i, key: `upload.${i.field}` } : i));
      throw new Invalid(issues);
    }
    throw problem("file", "noFile");
  }

  const { kind, encoding, dryRun } = parsed.data;
  const id = await db().transaction(async (tx) => {
    const newId = await createImport(tx, { kind, encoding, dryRun, fileName: file.name, fileBytes: file.bytes, storedPath: file.path, userId: actor.userId });
    await audit(tx, { kind: "user", userId: actor.userId }, { action: "import.upload", entity: "imports", entityId: newId, after: { kind, encoding, dryRun, fileBytes: file.bytes } });
    return newId;
  });
  try {
    await enqueueImport(appQueues(), id);
  } catch (err) {
    // The row is recorded; the reconciler (imports.reconcile) queues it within a couple of minutes.
    log.warn({ err, importId: id }, "import recorded but not queued; the reconciler will queue it");
  }
  return NextResponse.json({ id }, { status: 201 });
});

function tooLarge(): Promise<Response> {
  return errorResponse(new Invalid([{ field: "file", code: "tooLarge", key: "upload.tooLarge", params: { max: formatBytes(MAX_UPLOAD_BYTES) } }]), 413);
}

export const GET = route(async (req) => {
  await guard(["admin"], req);
  const q = parseQuery(req, importListQuery);
  return listImports(db(), q);
});
