// /api/imports through the real route handlers, Postgres and Redis: the streamed upload (stored byte for byte,
// recorded, audited, queued), its validation, admin-only access, the list, one import with its errors, the CSV error
// report and the templates.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "./int-db";
import { buildScopeFixture, type ScopeFixture } from "./scope-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false }),
  getLocale: async () => "en",
}));
vi.mock("@/lib/auth/nextauth", () => ({ currentSession: async () => null }));

let t: TestDb;
let fx: ScopeFixture;
let dataDir: string;
const prefix = testPrefix();
type Routes = {
  list: typeof import("@/app/api/imports/route");
  one: typeof import("@/app/api/imports/[id]/route");
  errors: typeof import("@/app/api/imports/[id]/errors.csv/route");
  template: typeof import("@/app/api/imports/templates/[kind]/route");
};
let r: Routes;

beforeAll(async () => {
  t = await freshDb();
  dataDir = await mkdtemp(path.join(tmpdir(), "cw-imports-api-"));
  Object.assign(process.env, { DATABASE_URL: t.url, REDIS_URL: redisUrl(), AUTH_SECRET: "x".repeat(40), QUEUE_PREFIX: prefix.replace(/[^a-zA-Z0-9_:-]/g, "_"), CHURNWATCH_DATA_DIR: dataDir });
  fx = await buildScopeFixture(t.db);
  r = {
    list: await import("@/app/api/imports/route"),
    one: await import("@/app/api/imports/[id]/route"),
    errors: await import("@/app/api/imports/[id]/errors.csv/route"),
    template: await import("@/app/api/imports/templates/[kind]/route"),
  };
});

afterAll(async () => {
  const { appQueues } = await import("@/lib/http/queues");
  const queues = appQueues();
  await queues.get("imports").obliterate({ force: true });
  await queues.close();
  await queues.connection.quit();
  const { db, closeDb } = await import("@/lib/db/client");
  await closeDb(db());
  await t.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const ctx = <P,>(params: P) => ({ params: Promise.resolve(params) });
const auth = (who: string) => ({ authorization: `Bearer ${fx.tokens[who]}` });

function form(fields: Record<string, string>, file?: { name: string; content: string | Buffer }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set("file", new File([typeof file.content === "string" ? file.content : new Uint8Array(file.content)], file.name, { type: "text/csv" }));
  return f;
}

function post(who: string, body: FormData | string, headers: Record<string, string> = {}): Request {
  return new Request("http://test/api/imports", { method: "POST", headers: { ...auth(who), ...headers }, body });
}

const get = (who: string, url: string) => new Request(`http://test${url}`, { headers: auth(who) });
const uploads = async () => readdir(path.join(dataDir, "uploads")).catch(() => [] as string[]);
const NEGATIVE = "合同编号,还款日期,还款金额,流水号\nL1,2026-02-15,-100.00,NEG-1\n";

describe("POST /api/imports", () => {
  it("streams the file to the uploads folder, records and audits the import, and queues its job", async () => {
    const content = Buffer.from("\uFEFF合同编号,还款日期,还款金额\nL1,2026-02-15,\"10,243.63\"\n");
    const res = await r.list.POST(post("admin", form({ kind: "repayments", encoding: "utf8", dryRun: "true" }, { name: "二月还款.csv", content })), ctx({}));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const { imports, auditLog } = await import("@/lib/db/schema");
    const [row] = await t.db.select().from(imports).where(eq(imports.id, id));
    expect(row).toMatchObject({ kind: "repayments", fileName: "二月还款.csv", fileBytes: content.length, encoding: "utf8", dryRun: true, status: "queued", userId: fx.userIds.admin });
    expect(row!.storedPath!.startsWith(path.join(dataDir, "uploads"))).toBe(true);
    expect((await readFile(row!.storedPath!)).equals(content)).toBe(true);
    const [a] = await t.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "import.upload"), eq(auditLog.entityId, String(id))));
    expect(a!.n).toBe(1);
    const { appQueues } = await import("@/lib/http/queues");
    const job = await appQueues().get("imports").getJob(`imports.run-${id}`);
    expect(job?.data).toEqual({ importId: id });
  });

  it("refuses other roles", async () => {
    const res = await r.list.POST(post("rm1", form({ kind: "repayments" }, { name: "a.csv", content: NEGATIVE })), ctx({}));
    expect(res.status).toBe(403);
  });

  it("answers 422 for a bad kind or encoding, a missing file or a body that is not a form, and keeps no file", async () => {
    const before = await uploads();
    const cases: [FormData | string, Record<string, string>, string][] = [
      [form({ kind: "invoices" }, { name: "a.csv", content: NEGATIVE }), {}, "kind"],
      [form({ kind: "repayments", encoding: "latin1" }, { name: "a.csv", content: NEGATIVE }), {}, "encoding"],
      [form({ kind: "repayments" }), {}, "file"],
      ['{"kind":"repayments"}', { "content-type": "application/json" }, "(root)"],
    ];
    for (const [body, headers, field] of cases) {
      const res = await r.list.POST(post("admin", body, headers), ctx({}));
      expect(res.status, field).toBe(422);
      const json = (await res.json()) as { error: { code: string; issues: { field: string }[] } };
      expect(json.error.code).toBe("invalid");
      expect(json.error.issues.map((i) => i.field)).toContain(field);
    }
    expect(await uploads()).toEqual(before);
  });

  it("stops an upload over the size cap and removes what it stored", async () => {
    const { receiveUpload, UploadError } = await import("@/lib/imports/upload");
    const before = await uploads();
    const req = post("admin", form({ kind: "repayments" }, { name: "big.csv", content: "x".repeat(100_000) }));
    const err = await receiveUpload(req, { dir: path.join(dataDir, "uploads"), maxBytes: 50_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err).toMatchObject({ code: "tooLarge" });
    expect(await uploads()).toEqual(before);
  });
});

describe("GET /api/imports and /api/imports/{id}", () => {
  let rejectedId: number;

  it("lists imports newest first with who uploaded them", async () => {
    const res = await r.list.POST(post("admin", form({ kind: "repayments" }, { name: "negative.csv", content: NEGATIVE })), ctx({}));
    rejectedId = ((await res.json()) as { id: number }).id;
    const list = await r.list.GET(get("admin", "/api/imports?page=1&pageSize=1"), ctx({}));
    expect(list.status).toBe(200);
    const body = (await list.json()) as { rows: { id: number; user: { username: string } | null; fileName: string }[]; total: number; pageSize: number };
    expect(body.total).toBe(2);
    expect(body.pageSize).toBe(1);
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({ id: rejectedId, fileName: "negative.csv", user: { username: "admin" } });
    expect((await r.list.GET(get("admin", "/api/imports?pageSize=1000"), ctx({}))).status).toBe(422);
    expect((await r.list.GET(get("sup1", "/api/imports"), ctx({}))).status).toBe(403);
  });

  it("shows a rejected import's errors worded for the reader, and offers them as a CSV report", async () => {
    const { processImport } = await import("@/lib/imports/job");
    const { db } = await import("@/lib/db/client");
    const result = await processImport(db(), rejectedId, { asOf: "2026-06-30" });
    expect(result?.status).toBe("rejected");

    const res = await r.one.GET(get("admin", `/api/imports/${rejectedId}`), ctx({ id: String(rejectedId) }));
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    expect(d).toMatchObject({ id: rejectedId, status: "rejected", rowsParsed: 1, rowsWritten: 0, errorCount: 1, warnings: [] });
    expect(d.errors).toEqual([{ row: 1, column: "还款金额", code: "amount.negative", message: "Must not be negative." }]);
    expect(d).not.toHaveProperty("storedPath");

    const csvRes = await r.errors.GET(get("admin", `/api/imports/${rejectedId}/errors.csv`), ctx({ id: String(rejectedId) }));
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csvRes.headers.get("content-disposition")).toMatch(/^attachment; filename="import-\d+-errors\.csv"/);
    // Read as bytes: text() would drop the BOM that makes Excel read the file as UTF-8.
    const bytes = Buffer.from(await csvRes.arrayBuffer());
    expect(bytes.toString("utf8")).toBe("\uFEFFrow,column,code,message\r\n1,还款金额,amount.negative,Must not be negative.\r\n");
  });

  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of ["999999", "abc", "1.5", "-1"]) {
      expect((await r.one.GET(get("admin", `/api/imports/${id}`), ctx({ id }))).status, id).toBe(404);
      expect((await r.errors.GET(get("admin", `/api/imports/${id}/errors.csv`), ctx({ id }))).status, id).toBe(404);
    }
    expect((await r.one.GET(get("rm1", `/api/imports/${rejectedId}`), ctx({ id: String(rejectedId) }))).status).toBe(403);
  });
});

describe("GET /api/imports/templates/{kind}", () => {
  it("sends the XLSX template of a kind, and 404 for an unknown kind", async () => {
    const res = await r.template.GET(get("admin", "/api/imports/templates/repayments"), ctx({ kind: "repayments" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toContain('filename="churnwatch-repayments-template.xlsx"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
    expect((await r.template.GET(get("admin", "/api/imports/templates/invoices"), ctx({ kind: "invoices" }))).status).toBe(404);
  });
});
