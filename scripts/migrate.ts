// npm run db:migrate — applies migrations to DATABASE_URL.
import { closeDb, createDb } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { EnvError, refuseTestHooksInProduction } from "../lib/env";
import { applyLocalRuntime } from "../lib/runtime/localEnv";

applyLocalRuntime();
try {
  refuseTestHooksInProduction(process.env);
} catch (e) {
  if (!(e instanceof EnvError)) throw e;
  console.error(e.message);
  process.exit(1);
}

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. Set it, or run `npm start` (which starts the embedded database) first.");
  process.exit(2);
}
const db = createDb(url, 1);
try {
  await runMigrations(db);
  console.log("migrations applied");
} finally {
  await closeDb(db);
}
