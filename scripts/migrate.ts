// npm run db:migrate — applies migrations to DATABASE_URL.
import { closeDb, createDb } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { applyLocalRuntime } from "../lib/runtime/localEnv";

applyLocalRuntime();

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
