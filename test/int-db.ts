// Integration-test databases: each test file clones the migrated template database made by the global setup
// (CREATE DATABASE … TEMPLATE is ~100 ms), and drops it afterwards.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { closeDb, createDb, type Db } from "../lib/db/client";

function adminUrl(): string {
  const u = process.env.CW_TEST_PG_ADMIN_URL;
  if (!u) throw new Error("CW_TEST_PG_ADMIN_URL is not set: run integration tests through `npm test` or `npm run test:int`");
  return u;
}

export function urlFor(dbName: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${dbName}`;
  return u.toString();
}

export type TestDb = { db: Db; url: string; name: string; drop: () => Promise<void> };

export async function freshDb(): Promise<TestDb> {
  const template = process.env.CW_TEST_TEMPLATE_DB;
  if (!template) throw new Error("CW_TEST_TEMPLATE_DB is not set");
  const name = `${template}_f${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const db = createDb(url, 5);
  return {
    db,
    url,
    name,
    drop: async () => {
      await closeDb(db);
      const a = postgres(adminUrl(), { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** A Redis key prefix unique to one test file, under the run's prefix. */
export function testPrefix(): string {
  return `${process.env.CW_TEST_REDIS_PREFIX ?? "cwtest"}:${randomBytes(3).toString("hex")}`;
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

/**
 * A fresh database the application's own modules use (route handlers and services read `db()` and the env): the
 * process env points at it, with a Redis key prefix of its own. Its `drop` closes the application's pool first.
 */
export async function appDb(): Promise<TestDb> {
  const t = await freshDb();
  process.env.DATABASE_URL = t.url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.QUEUE_PREFIX = testPrefix().replace(/:/g, "-");
  process.env.AUTH_SECRET = "x".repeat(40);
  return {
    ...t,
    drop: async () => {
      const { db, closeDb: closeAppDb } = await import("../lib/db/client");
      await closeAppDb(db());
      await t.drop();
    },
  };
}
