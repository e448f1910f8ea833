// Zip-bomb checks for XLSX uploads, run before ExcelJS opens the file. ExcelJS unzips with unzipper's streaming
// parser, which walks the *local* headers front to back and inflates whatever each one declares, never comparing
// with the central directory nor the declared uncompressed size. A check that read only the central directory
// (what yauzl and most zip libraries do) could therefore be walked around: hidden local entries, or sizes that lie.
// So this reader checks the directory's figures, then walks the local headers exactly as unzipper will, requires
// them to agree with the directory entry for entry, and inflates each entry once, counting, to hold it to its size.
import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createInflateRaw } from "node:zlib";
import { ImportFileError } from "./errors";
import type { Params } from "./values";

export type ZipLimits = {
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed : compressed, per entry, for entries larger than ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Tighter caps for single entries by name. */
  maxEntryBytes: Record<string, number>;
};

const MB = 1024 * 1024;
/**
 * A million-row XLSX (the import's row cap) is 250–700 MB of XML depending on its width, at 8–12 : 1; bombs reach
 * 1,000 : 1. ExcelJS keeps the shared strings in memory, so they get a cap of their own.
 */
export const XLSX_LIMITS: ZipLimits = {
  maxEntries: 1_000,
  maxTotalBytes: 1024 * MB,
  maxRatio: 100,
  ratioFloorBytes: 1 * MB,
  maxEntryBytes: { "xl/sharedStrings.xml": 256 * MB },
};

const SIG = { local: 0x04034b50, central: 0x02014b50, eocd: 0x06054b50, zip64Locator: 0x07064b50, descriptor: 0x08074b50 };
const DESCRIPTOR_SIG = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const U32_MAX = 0xffffffff;
const MAX_CENTRAL_DIRECTORY_BYTES = 16 * MB;

type Entry = { name: Buffer; flags: number; method: number; crc: number; compressedSize: number; size: number; localOffset: number };

const unreadable = () => new ImportFileError("file.unreadable", { format: "XLSX" });
const inconsistent = (entry: string) => new ImportFileError("file.xlsxInconsistent", { entry });
const mb = (n: number) => `${Math.round(n / MB)} MB`;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead !== length) throw unreadable();
  return buf;
}

/** The ZIP64 extended-information field's 8-byte values, in the order the spec gives them, for the fields marked. */
function zip64Values(extra: Buffer, wanted: number): number[] | null {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const len = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      if (len < wanted * 8 || at + 4 + len > extra.length) return null;
      return Array.from({ length: wanted }, (_, i) => Number(extra.readBigUInt64LE(at + 4 + i * 8)));
    }
    at += 4 + len;
  }
  return null;
}

function findEocd(tail: Buffer): number {
  // The record is 22 bytes plus a comment of its own stated length, and is the last thing in the file.
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG.eocd && i + 22 + tail.readUInt16LE(i + 20) === tail.length) return i;
  }
  return -1;
}

async function centralDirectory(fh: FileHandle, fileSize: number, limits: ZipLimits): Promise<{ entries: Entry[]; cdOffset: number }> {
  if (fileSize < 22) throw unreadable();
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(fh, fileSize - tailLength, tailLength);
  const at = findEocd(tail);
  if (at < 0) throw unreadable();
  const eocdOffset = fileSize - tailLength + at;
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  const onDisk = tail.readUInt16LE(at + 8);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  // ZIP64 archives (over 4 GB or 65,535 entries) are far beyond any upload: refused rather than half-supported.
  if (at >= 20 && tail.readUInt32LE(at - 20) === SIG.zip64Locator) throw unreadable();
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count || count === 0xffff || cdOffset === U32_MAX) throw unreadable();
  if (count > limits.maxEntries) throw new ImportFileError("file.xlsxEntries", { count, max: limits.maxEntries });
  // Nothing may sit between the directory and its end record, nor may the directory claim more than the file holds.
  if (cdOffset + cdSize !== eocdOffset || cdSize > MAX_CENTRAL_DIRECTORY_BYTES) throw unreadable();

  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG.central) throw unreadable();
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw unreadable();
    const e: Entry = {
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
      name: cd.subarray(p + 46, p + 46 + nameLength),
    };
    const wide = [e.size, e.compressedSize, e.localOffset].filter((v) => v === U32_MAX).length;
    if (wide) {
      const values = zip64Values(cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), wide);
      if (!values) throw unreadable();
      if (e.size === U32_MAX) e.size = values.shift()!;
      if (e.compressedSize === U32_MAX) e.compressedSize = values.shift()!;
      if (e.localOffset === U32_MAX) e.localOffset = values.shift()!;
    }
    // Encrypted entries, and methods other than stored and deflate, ExcelJS cannot read either.
    if (e.flags & 0x1 || (e.method !== 0 && e.method !== 8)) throw unreadable();
    entries.push(e);
    p += 46 + nameLength + extraLength + commentLength;
  }
  if (p !== cd.length) throw unreadable();
  return { entries, cdOffset };
}

function checkDeclared(entries: Entry[], limits: ZipLimits): void {
  let total = 0;
  for (const e of entries) {
    const name = e.name.toString("utf8");
    total += e.size;
    if (total > limits.maxTotalBytes) throw new ImportFileError("file.xlsxTooLarge", { max: mb(limits.maxTotalBytes) });
    const cap = limits.maxEntryBytes[name];
    if (cap !== undefined && e.size > cap) throw new ImportFileError("file.xlsxEntryTooLarge", { entry: name, max: mb(cap) });
    if (e.size > limits.ratioFloorBytes && e.size > e.compressedSize * limits.maxRatio) {
      const ratio = e.compressedSize === 0 ? "∞" : String(Math.round(e.size / e.compressedSize));
      throw new ImportFileError("file.xlsxCompression", { entry: name, ratio, max: limits.maxRatio } satisfies Params);
    }
  }
}

/**
 * Reads an entry's stored bytes once: inflates them, refusing output beyond the declared size, and (for an entry
 * whose end unzipper finds by searching for the data-descriptor signature) refuses a signature inside the data,
 * where unzipper would stop early and read what follows as another entry.
 */
async function verifyData(filePath: string, e: Entry, dataStart: number, searchedEnd: boolean): Promise<void> {
  const name = e.name.toString("utf8");
  if (e.compressedSize === 0) {
    if (e.size !== 0) throw inconsistent(name);
    return;
  }
  let carry = Buffer.alloc(0);
  const scan = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (searchedEnd) {
        const window = Buffer.concat([carry, chunk]);
        if (window.indexOf(DESCRIPTOR_SIG) >= 0) return done(inconsistent(name));
        carry = window.subarray(Math.max(0, window.length - 3));
      }
      done(null, chunk);
    },
  });
  let produced = 0;
  const count = new Writable({
    write(chunk: Buffer, _enc, done) {
      produced += chunk.length;
      done(produced > e.size ? inconsistent(name) : null);
    },
  });
  const raw = createReadStream(filePath, { start: dataStart, end: dataStart + e.compressedSize - 1 });
  try {
    await (e.method === 8 ? pipeline(raw, scan, createInflateRaw(), count) : pipeline(raw, scan, count));
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    // A broken deflate stream: ExcelJS would fail on it too.
    throw unreadable();
  }
  if (produced !== e.size) throw inconsistent(name);
}

/** Walks the local headers front to back, as unzipper does, and holds each to its directory entry. */
async function walkLocalHeaders(fh: FileHandle, filePath: string, entries: Entry[], cdOffset: number): Promise<void> {
  let pos = 0;
  for (const e of [...entries].sort((a, b) => a.localOffset - b.localOffset)) {
    const name = e.name.toString("utf8");
    if (e.localOffset !== pos) throw inconsistent(name);
    const h = await readAt(fh, pos, 30);
    if (h.readUInt32LE(0) !== SIG.local) throw inconsistent(name);
    const flags = h.readUInt16LE(6);
    const method = h.readUInt16LE(8);
    let compressedSize = h.readUInt32LE(18);
    let size = h.readUInt32LE(22);
    const nameLength = h.readUInt16LE(26);
    const extraLength = h.readUInt16LE(28);
    const rest = await readAt(fh, pos + 30, nameLength + extraLength);
    if (!rest.subarray(0, nameLength).equals(e.name) || method !== e.method || (flags & 0x8) !== (e.flags & 0x8)) throw inconsistent(name);
    if (compressedSize === U32_MAX || size === U32_MAX) {
      // unzipper reads both sizes from the ZIP64 field whenever one is marked; the spec requires both to be there.
      const values = compressedSize === U32_MAX && size === U32_MAX ? zip64Values(rest.subarray(nameLength), 2) : null;
      if (!values) throw inconsistent(name);
      [size, compressedSize] = values as [number, number];
    }
    const dataStart = pos + 30 + nameLength + extraLength;
    const dataEnd = dataStart + e.compressedSize;
    // unzipper takes the local header's compressed size when it has one, else searches for the descriptor.
    const searchedEnd = Boolean(flags & 0x8) && compressedSize === 0;
    if (!searchedEnd && (compressedSize !== e.compressedSize || (!(flags & 0x8) && size !== e.size))) throw inconsistent(name);
    if (dataEnd > cdOffset) throw inconsistent(name);
    await verifyData(filePath, e, dataStart, searchedEnd);
    pos = dataEnd;
    if (searchedEnd) {
      // unzipper reads a 16-byte descriptor: signature, CRC, sizes; they must be the directory's.
      if (dataEnd + 16 > cdOffset) throw inconsistent(name);
      const d = await readAt(fh, dataEnd, 16);
      if (d.readUInt32LE(0) !== SIG.descriptor || d.readUInt32LE(4) !== e.crc || d.readUInt32LE(8) !== e.compressedSize || d.readUInt32LE(12) !== e.size) throw inconsistent(name);
      pos += 16;
    }
  }
  // Anything between the last entry and the directory would be read by unzipper as more entries.
  if (pos !== cdOffset) throw inconsistent("(zip)");
}

/**
 * Refuses, with an ImportFileError, an XLSX whose zip structure is a bomb (too many entries, too much uncompressed
 * data, a suspicious compression ratio, sizes that lie) or is ambiguous (local headers that disagree with the
 * directory). Passing files are exactly what ExcelJS will read, within the limits.
 */
export async function checkXlsxZip(filePath: string, limits: ZipLimits = XLSX_LIMITS): Promise<{ hasWorksheet: boolean }> {
  const fh = await open(filePath, "r");
  try {
    const { size } = await fh.stat();
    const { entries, cdOffset } = await centralDirectory(fh, size, limits);
    checkDeclared(entries, limits);
    await walkLocalHeaders(fh, filePath, entries, cdOffset);
    // The reader's own listing, against which a streaming read that saw no worksheet is known to have lost one.
    return { hasWorksheet: entries.some((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name.toString("utf8"))) };
  } finally {
    await fh.close();
  }
}
