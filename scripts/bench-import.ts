// `tsx scripts/bench-import.ts <url> <file> <asOf>`: the measured side of `npm run bench -- import`. A process of its
// own that loads only the import path, as the imports worker runs it: the bench's seeding (and its garbage) is not
// counted in the import's memory, and the figures are the import's own. Prints one JSON line.
import { closeDb, createDb } from "../lib/db/client";
import { runImport, type ImportPhase } from "../lib/imports/engine";

async function main() {
  const [url, filePath, asOf] = process.argv.slice(2) as [string, string, string];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const db = createDb(url, 4);
  const startRss = process.memoryUsage().rss;
  const phases: Partial<Record<ImportPhase, number>> = {};
  const t0 = performance.now();
  const r = await runImport(db, { kind: "repayments", filePath, fileName: "repayments.csv", encoding: "auto", dryRun: false, asOf, actor: { kind: "system", name: "bench" } }, (p) => {
    phases[p.phase] ??= performance.now();
  });
  const s = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await closeDb(db);
  if (r.status !== "succeeded") throw new Error(`import rejected: ${r.errorCount} errors, first ${JSON.stringify(r.errors[0])}`);
  const at = (p: ImportPhase) => Number((((phases[p] ?? t0) - t0) / 1000).toFixed(1));
  console.log(
    JSON.stringify({
      import_s: Number(s.toFixed(2)),
      validating_from_s: at("validating"),
      writing_from_s: at("writing"),
      rows_new: r.rowsNew,
      rows_changed: r.rowsChanged,
      rows_unchanged: r.rowsUnchanged,
      loans_queued: r.loansQueued,
      start_rss_mb: Math.round(startRss / 2 ** 20),
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
