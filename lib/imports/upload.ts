// Receives an import upload (multipart/form-data) as a stream: the small text fields are collected, the file part
// goes to disk as it arrives, so a 200 MB file costs a few chunks of memory rather than 200 MB.
// Request.formData() would hold the whole file in memory, hence this parser.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";

export type UploadErrorCode = "notMultipart" | "malformed" | "tooLarge" | "fieldTooLarge" | "tooManyParts" | "noFile" | "tooManyFiles";

export class UploadError extends Error {
  constructor(public readonly code: UploadErrorCode) {
    super(`upload: ${code}`);
    this.name = "UploadError";
  }
}

export type PartInfo = { name: string; fileName: string | null; contentType: string | null };
/** Where one part's bytes go; awaiting write() is the back-pressure. */
export type PartSink = { write(chunk: Buffer): Promise<void> | void; end(): Promise<void> | void };

export type MultipartLimits = { headerBytes: number; parts: number };
const DEFAULT_LIMITS: MultipartLimits = { headerBytes: 16 * 1024, parts: 20 };

/** The boundary of a multipart/form-data content type, or null when the type is something else. */
export function boundaryOf(contentType: string | null | undefined): string | null {
  const m = /^\s*multipart\/form-data\s*;(.*)$/i.exec(contentType ?? "");
  if (!m) return null;
  const b = /(?:^|;)\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(m[1] ?? "");
  const v = b?.[1] ?? b?.[2];
  // RFC 2046: 1 to 70 characters.
  return v && v.length <= 70 ? v : null;
}

// Browsers percent-encode exactly these three characters in quoted names (WHATWG multipart/form-data encoding);
// curl backslash-escapes quotes. Other backslashes stay: they are Windows path separators.
const unescapeQuoted = (s: string) => s.replace(/\\(["\\])/g, "$1").replace(/%22/gi, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");

function decodeExtValue(v: string): string | null {
  // RFC 5987: charset'lang'percent-encoded
  const m = /^([\w-]+)'[^']*'(.*)$/.exec(v);
  if (!m || m[1]!.toLowerCase() !== "utf-8") return null;
  try {
    return decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
}

/** Parses one part's header block (UTF-8: browsers send non-ASCII file names raw). */
export function parsePartHeaders(block: string): PartInfo {
  let name: string | null = null;
  let fileName: string | null = null;
  let extFileName: string | null = null;
  let contentType: string | null = null;
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-type") contentType = value;
    if (key !== "content-disposition") continue;
    if (!/^form-data\s*(;|$)/i.test(value)) throw new UploadError("malformed");
    for (const p of value.matchAll(/;\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
      const k = p[1]!.toLowerCase();
      const raw = p[2] !== undefined ? unescapeQuoted(p[2]) : (p[3] ?? "").trim();
      if (k === "name") name = raw;
      else if (k === "filename") fileName = raw;
      else if (k === "filename*") extFileName = decodeExtValue(raw);
    }
  }
  if (name === null) throw new UploadError("malformed");
  const chosen = extFileName ?? fileName;
  // Old browsers sent the full local path; only the last segment is the file's name.
  return { name, fileName: chosen === null ? null : (chosen.split(/[\\/]/).pop() ?? ""), contentType };
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * Streams a multipart/form-data body, calling onPart for each part and writing its bytes to the returned sink.
 * Only as much as one chunk plus a boundary's length is held at a time. Throws UploadError on a malformed or
 * truncated body; whatever the sinks wrote is then the caller's to discard.
 */
export async function parseMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  onPart: (info: PartInfo) => PartSink | Promise<PartSink>,
  limits: MultipartLimits = DEFAULT_LIMITS,
): Promise<void> {
  const delim = Buffer.from(`\r\n--${boundary}`, "latin1");
  // A leading CRLF lets the first boundary line match the same delimiter as the others.
  let buf: Buffer = Buffer.from(CRLF);
  type State = "preamble" | "afterBoundary" | "headers" | "body" | "done";
  // Widened on purpose: step() changes it between the loop's checks.
  let state = "preamble" as State;
  let sink: PartSink | null = null;
  let parts = 0;

  // One parsing step on what is buffered; false when it needs more input (or the body is complete).
  const step = async (): Promise<boolean> => {
    switch (state) {
      case "preamble": {
        const i = buf.indexOf(delim);
        if (i === -1) {
          if (buf.length >= delim.length) buf = buf.subarray(buf.length - (delim.length - 1));
          return false;
        }
        buf = buf.subarray(i + delim.length);
        state = "afterBoundary";
        return true;
      }
      case "afterBoundary": {
        if (buf.length < 2) return false;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = "done";
          return false;
        }
        const eol = buf.indexOf(CRLF);
        if (eol === -1) {
          if (buf.length > 256) throw new UploadError("malformed");
          return false;
        }
        // Transport padding (spaces, tabs) may follow a boundary; anything else means it was not one.
        if (!/^[ \t]*$/.test(buf.subarray(0, eol).toString("latin1"))) throw new UploadError("malformed");
        buf = buf.subarray(eol + 2);
        state = "headers";
        return true;
      }
      case "headers": {
        const end = buf.subarray(0, 2).equals(CRLF) ? -2 : buf.indexOf(HEADER_END);
        if (end === -1) {
          if (buf.length > limits.headerBytes) throw new UploadError("malformed");
          return false;
        }
        if (end > limits.headerBytes) throw new UploadError("malformed");
        if (++parts > limits.parts) throw new UploadError("tooManyParts");
        const info = parsePartHeaders(end < 0 ? "" : buf.subarray(0, end).toString("utf8"));
        buf = buf.subarray(end + 4);
        sink = await onPart(info);
        state = "body";
        return true;
      }
      case "body": {
        const i = buf.indexOf(delim);
        if (i === -1) {
          // The tail might be the start of a delimiter split across chunks: keep it for the next round.
          const keep = delim.length - 1;
          if (buf.length > keep) {
            await sink!.write(buf.subarray(0, buf.length - keep));
            buf = buf.subarray(buf.length - keep);
          }
          return false;
        }
        if (i > 0) await sink!.write(buf.subarray(0, i));
        await sink!.end();
        sink = null;
        buf = buf.subarray(i + delim.length);
        state = "afterBoundary";
        return true;
      }
      case "done":
        return false;
    }
  };

  for await (const chunk of body) {
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    buf = buf.length ? Buffer.concat([buf, c]) : c;
    while (await step());
    // Whatever follows the closing boundary (the epilogue) is ignored.
    if (state === "done") return;
  }
  throw new UploadError("malformed");
}

export type ReceivedUpload = {
  fields: Record<string, string>;
  /** The stored file, or null when the form had none. */
  file: { path: string; name: string; bytes: number } | null;
};

/** Opens a file for one part, counting its bytes against the cap. */
function fileSink(filePath: string, maxBytes: number): PartSink & { bytes(): number; abort(): Promise<void> } {
  const out = createWriteStream(filePath, { flags: "wx" });
  let failure: Error | null = null;
  let bytes = 0;
  out.on("error", (e) => (failure = e));
  return {
    bytes: () => bytes,
    // Resolves once the stream is closed: destroyed while still opening, it would otherwise create the file after
    // the caller removed it.
    abort: () =>
      new Promise<void>((resolve) => {
        if (out.closed) return resolve();
        out.once("close", () => resolve());
        out.destroy();
      }),
    write(chunk) {
      if (failure) throw failure;
      bytes += chunk.length;
      if (bytes > maxBytes) throw new UploadError("tooLarge");
      if (out.write(chunk)) return;
      return new Promise<void>((resolve, reject) => {
        const done = (e?: Error) => {
          out.off("drain", done);
          out.off("error", done);
          if (e) reject(e);
          else resolve();
        };
        out.on("drain", done);
        out.on("error", done);
      });
    },
    end: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        out.end((e?: Error | null) => (e ? reject(e) : resolve()));
      }),
  };
}

const MAX_FIELD_BYTES = 1024;

/**
 * Reads a multipart request: text fields (at most 1 KB each) and one file part named `fileField`, written to a
 * new file under `dir`. On any failure the partial file is removed before the error is rethrown.
 */
export async function receiveUpload(req: Request, opts: { dir: string; maxBytes: number; fileField?: string }): Promise<ReceivedUpload> {
  const boundary = boundaryOf(req.headers.get("content-type"));
  if (!boundary || !req.body) throw new UploadError("notMultipart");
  const fileField = opts.fileField ?? "file";
  await mkdir(opts.dir, { recursive: true });
  const got: ReceivedUpload = { fields: {}, file: null };
  const open: { sink: ReturnType<typeof fileSink> | null } = { sink: null };
  try {
    await parseMultipart(req.body as unknown as AsyncIterable<Uint8Array>, boundary, (info): PartSink => {
      if (info.fileName !== null) {
        // Other file inputs are not ours to store.
        if (info.name !== fileField) return { write: () => {}, end: () => {} };
        if (got.file) throw new UploadError("tooManyFiles");
        const file = { path: path.join(opts.dir, `${randomUUID()}.upload`), name: info.fileName || "upload", bytes: 0 };
        got.file = file;
        const sink = (open.sink = fileSink(file.path, opts.maxBytes));
        return {
          write: (c) => sink.write(c),
          end: async () => {
            await sink.end();
            file.bytes = sink.bytes();
            open.sink = null;
          },
        };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      return {
        write(c) {
          size += c.length;
          if (size > MAX_FIELD_BYTES) throw new UploadError("fieldTooLarge");
          chunks.push(Buffer.from(c));
        },
        end() {
          got.fields[info.name] = Buffer.concat(chunks).toString("utf8");
        },
      };
    });
  } catch (e) {
    await open.sink?.abort();
    if (got.file) await rm(got.file.path, { force: true });
    throw e;
  }
  return got;
}
