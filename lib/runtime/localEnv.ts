// While `npm start` runs on embedded services it writes their URLs to .data/runtime.json, so that
// `npm run worker`, `npm run cli`, `npm run seed` and `npm run db:migrate` reach the same database and Redis.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

// turbopackIgnore: a run-time data folder, not a source the server build should trace.
export const DATA_DIR = path.resolve(/* turbopackIgnore: true */ process.env.CHURNWATCH_DATA_DIR ?? ".data");
export const RUNTIME_FILE = path.join(DATA_DIR, "runtime.json");

export type LocalRuntime = { DATABASE_URL: string; REDIS_URL: string; QUEUE_PREFIX: string; AUTH_SECRET: string; PORT: string };

export function applyLocalRuntime(): void {
  if (!existsSync(RUNTIME_FILE)) return;
  const rt = JSON.parse(readFileSync(RUNTIME_FILE, "utf8")) as Partial<LocalRuntime>;
  for (const [k, v] of Object.entries(rt)) if (!process.env[k] && v) process.env[k] = v;
}
