// When run outside `npm test` (which provisions everything), make the template database here.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { closeDb, createDb } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";

export default async function setup() {
  if (process.env.CW_TEST_TEMPLATE_DB) return;
  const admin = process.env.CW_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  process.env.CW_TEST_PG_ADMIN_URL = admin;
  const name = `cwtest_${randomBytes(4).toString("hex")}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database "${name}"`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const db = createDb(u.toString(), 1);
  await runMigrations(db);
  await closeDb(db);
  process.env.CW_TEST_TEMPLATE_DB = name;
  return async () => {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.end();
  };
}
