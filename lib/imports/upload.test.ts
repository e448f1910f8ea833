// The streaming multipart parser against bodies encoded the way fetch/browsers encode FormData, split at every
// possible place, plus the malformed cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundaryOf, parseMultipart, parsePartHeaders, UploadError, type PartInfo } from "./upload";

type Parsed = { info: PartInfo; data: Buffer }[];

async function encode(form: FormData): Promise<{ body: Buffer; boundary: string }> {
  const req = new Request("http://x/", { method: "POST", body: form });
  const boundary = boundaryOf(req.headers.get("content-type"));
  if (!boundary) throw new Error("no boundary");
  return { body: Buffer.from(await req.arrayBuffer()), boundary };
}

async function* chunks(body: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c <= at || c >= body.length) continue;
    yield body.subarray(at, c);
    at = c;
  }
  yield body.subarray(at);
}

async function parse(body: Buffer, boundary: string, cuts: number[] = []): Promise<Parsed> {
  const out: Parsed = [];
  await parseMultipart(chunks(body, cuts), boundary, (info) => {
    const parts: Buffer[] = [];
    return {
      write: (c) => void parts.push(Buffer.from(c)),
      end: () => void out.push({ info, data: Buffer.concat(parts) }),
    };
  });
  return out;
}

const fileBytes = Buffer.from("合同编号,还款日期,还款金额\r\nL1,2026-06-30,\"1,000.00\"\r\n--not-a-boundary\r\n\r\n", "utf8");

async function sampleForm() {
  const form = new FormData();
  form.set("kind", "repayments");
  form.set("encoding", "auto");
  form.set("file", new File([fileBytes], "六月 还款\"q\".csv", { type: "text/csv" }));
  form.set("dryRun", "true");
  return encode(form);
}

describe("parseMultipart", () => {
  it("reads fields and a file with a Chinese name, byte for byte", async () => {
    const { body, boundary } = await sampleForm();
    const parts = await parse(body, boundary);
    expect(parts.map((p) => [p.info.name, p.info.fileName])).toEqual([
      ["kind", null],
      ["encoding", null],
      ["file", '六月 还款"q".csv'],
      ["dryRun", null],
    ]);
    expect(parts[0]!.data.toString()).toBe("repayments");
    expect(parts[2]!.info.contentType).toBe("text/csv");
    expect(parts[2]!.data.equals(fileBytes)).toBe(true);
    expect(parts[3]!.data.toString()).toBe("true");
  });

  it("gives the same result however the body is split into chunks", async () => {
    const { body, boundary } = await sampleForm();
    const whole = await parse(body, boundary);
    // Every single split point, then random multi-way splits.
    for (let i = 1; i < body.length; i++) expect(await parse(body, boundary, [i])).toEqual(whole);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: body.length - 1 }), { maxLength: 30 }), async (cuts) => {
        expect(await parse(body, boundary, cuts)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps binary content (an XLSX-like zip with CR/LF bytes and dashes) intact", async () => {
    const bin = Buffer.from(Array.from({ length: 70_000 }, (_, i) => [0x0d, 0x0a, 0x2d, 0x2d, i & 0xff][i % 5]!));
    const form = new FormData();
    form.set("file", new File([bin], "a.xlsx"));
    const { body, boundary } = await encode(form);
    const [part] = await parse(body, boundary, [100, 65_536, 65_600]);
    expect(part!.data.equals(bin)).toBe(true);
  });

  it("accepts an empty file part", async () => {
    const form = new FormData();
    form.set("file", new File([], "empty.csv"));
    const { body, boundary } = await encode(form);
    const [part] = await parse(body, boundary);
    expect(part).toMatchObject({ info: { name: "file", fileName: "empty.csv" } });
    expect(part!.data.length).toBe(0);
  });

  it("rejects a truncated body", async () => {
    const { body, boundary } = await sampleForm();
    await expect(parse(body.subarray(0, body.length - 10), boundary)).rejects.toThrow(UploadError);
    await expect(parse(body.subarray(0, 40), boundary)).rejects.toMatchObject({ code: "malformed" });
  });

  it("rejects a body that is not multipart at all", async () => {
    await expect(parse(Buffer.from("kind=repayments"), "abc")).rejects.toMatchObject({ code: "malformed" });
  });

  it("rejects a part without a name and a runaway header block", async () => {
    const b = "XyZ";
    const noName = Buffer.from(`--${b}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--${b}--\r\n`);
    await expect(parse(noName, b)).rejects.toMatchObject({ code: "malformed" });
    const huge = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="a"\r\nX-Pad: ${"x".repeat(20_000)}`);
    await expect(parse(huge, b)).rejects.toMatchObject({ code: "malformed" });
  });

  it("limits the number of parts", async () => {
    const b = "XyZ";
    const many = Buffer.from(Array.from({ length: 25 }, (_, i) => `--${b}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join("") + `--${b}--\r\n`);
    await expect(parse(many, b)).rejects.toMatchObject({ code: "tooManyParts" });
  });

  it("ignores a preamble and an epilogue", async () => {
    const b = "XyZ";
    const body = Buffer.from(`preamble text\r\n--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n--${b}--\r\nepilogue`);
    const parts = await parse(body, b);
    expect(parts.map((p) => [p.info.name, p.data.toString()])).toEqual([["a", "value"]]);
  });

  it("stops the upload when a sink throws (the file is over the cap)", async () => {
    const { body, boundary } = await sampleForm();
    const run = parseMultipart(chunks(body, []), boundary, (info) => ({
      write: () => {
        if (info.name === "file") throw new UploadError("tooLarge");
      },
      end: () => {},
    }));
    await expect(run).rejects.toMatchObject({ code: "tooLarge" });
  });
});

describe("boundaryOf and parsePartHeaders", () => {
  it("finds the boundary, quoted or not, and refuses other content types", () => {
    expect(boundaryOf("multipart/form-data; boundary=----abc123")).toBe("----abc123");
    expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b c"')).toBe("a b c");
    expect(boundaryOf("application/json")).toBeNull();
    expect(boundaryOf("multipart/form-data")).toBeNull();
    expect(boundaryOf(`multipart/form-data; boundary=${"x".repeat(71)}`)).toBeNull();
    expect(boundaryOf(null)).toBeNull();
  });

  it("reads RFC 5987 file names and strips local paths", () => {
    expect(parsePartHeaders(`Content-Disposition: form-data; name="file"; filename="a.csv"; filename*=UTF-8''%E8%BF%98%E6%AC%BE.csv`).fileName).toBe("还款.csv");
    expect(parsePartHeaders(`Content-Disposition: form-data; name="file"; filename="C:\\Users\\me\\x.csv"`).fileName).toBe("x.csv");
    expect(parsePartHeaders(`content-disposition: form-data; name=kind`)).toEqual({ name: "kind", fileName: null, contentType: null });
    expect(() => parsePartHeaders(`Content-Disposition: attachment; name="x"`)).toThrow(UploadError);
  });
});
