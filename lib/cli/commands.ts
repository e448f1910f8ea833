// The operator CLI's commands, separate from argv handling so tests can call them directly.
import { stat } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_DAYS_MAX } from "../auth/tokens";
import { ROLES, type Role } from "../auth/roles";
import type { Db } from "../db/client";
import { branches } from "../db/schema";
import { AppError } from "../errors";
import { issueMessage, renderIssues } from "../http/messages";
import { IMPORT_KINDS, isImportKind } from "../imports/columns";
import { formatImportError, formatImportWarning } from "../imports/errors";
import { createImport, processImport } from "../imports/job";
import { ENCODINGS, type Encoding } from "../imports/read";
import { recomputeAll } from "../loans/recompute";
import { loadDelinquencyConfig, setDelinquencySetting, SETTING_KEYS } from "../loans/settings";
import type { Queues } from "../pipeline/queues";
import { startCob, waitForCob } from "../rules/cob";
import { writeMonthEnds } from "../dashboard/snapshots";
import { isIsoDate, todayIn } from "../time";
import { createUser } from "../users/service";
import { linkSsoIdentity } from "../users/sso";

export class UsageError extends Error {}

const SYSTEM = { kind: "system", name: "cli" } as const;

export async function userCreate(
  db: Db,
  opts: { username?: string; role?: string; branch?: string; name?: string; email?: string },
  password: string,
): Promise<string> {
  if (!opts.username) throw new UsageError("--username is required");
  if (!opts.role || !ROLES.includes(opts.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  let branchId: number | null = null;
  if (opts.branch) {
    const [b] = await db.select({ id: branches.id }).from(branches).where(eq(branches.code, opts.branch));
    if (!b) throw new UsageError(`unknown branch code ${opts.branch}`);
    branchId = b.id;
  }
  const { id } = await createUser(db, SYSTEM, {
    username: opts.username,
    displayName: opts.name ?? opts.username,
    role: opts.role as Role,
    branchId,
    email: opts.email ?? null,
    password,
  });
  return `created user ${opts.username} (id ${id}, role ${opts.role})`;
}

function wholeNumber(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} must be a whole number`);
  return Number(v);
}

export async function tokenCreate(db: Db, opts: { user?: string; name?: string; days?: string }): Promise<string> {
  if (!opts.user) throw new UsageError("--user is required");
  if (!opts.name) throw new UsageError("--name is required");
  const days = wholeNumber(opts.days, "--days");
  if (days !== undefined && (days < 1 || days > TOKEN_DAYS_MAX)) throw new UsageError(`--days must be from 1 to ${TOKEN_DAYS_MAX}`);
  const { token } = await createApiToken(db, SYSTEM, opts.user, opts.name, days);
  return token;
}

const utcMinute = (d: Date | null) => (d ? `${d.toISOString().replace("T", " ").slice(0, 16)}Z` : "-");

/** `token list --user U`: one line per token, newest first; never the secret (only its public prefix). */
export async function tokenList(db: Db, opts: { user?: string }): Promise<string> {
  if (!opts.user) throw new UsageError("--user is required");
  const rows = await listApiTokens(db, SYSTEM, opts.user);
  if (!rows.length) return `no API tokens for ${opts.user}`;
  const now = Date.now();
  const head = ["id", "name", "prefix", "created", "last used", "expires", "state"];
  const lines = rows.map((r) => [
    String(r.id),
    r.name,
    `cw_${r.prefix}_…`,
    utcMinute(r.createdAt),
    utcMinute(r.lastUsedAt),
    utcMinute(r.expiresAt),
    r.revokedAt ? `revoked ${utcMinute(r.revokedAt)}` : r.expiresAt.getTime() <= now ? "expired" : "active",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** `token revoke <id>`: audited; revoking a revoked token says so and changes nothing. */
export async function tokenRevoke(db: Db, id: string | undefined): Promise<string> {
  const n = wholeNumber(id, "<id>");
  if (n === undefined) throw new UsageError("token revoke needs the token's <id> (see token list --user U)");
  const { revoked } = await revokeApiToken(db, SYSTEM, n);
  return revoked ? `revoked API token ${n}` : `API token ${n} was already revoked`;
}

/** `user link-sso --user U --issuer I --subject S`: binds an IdP identity to a user (audited). */
export async function userLinkSso(db: Db, opts: { user?: string; issuer?: string; subject?: string }): Promise<string> {
  if (!opts.user || !opts.issuer || !opts.subject) throw new UsageError("--user, --issuer and --subject are required");
  await linkSsoIdentity(db, SYSTEM, { username: opts.user, issuer: opts.issuer, subject: opts.subject });
  return `linked ${opts.issuer} subject ${opts.subject} to ${opts.user}`;
}

export type CliOutput = { code: 0 | 1; stdout: string[]; stderr: string[] };

/**
 * `import <kind> <file>`: runs the file through the import engine in-process, recorded in `imports` like an upload
 * (no user; the audit log says system:cli). Exit 0 written (or valid, for a dry run), 1 rejected.
 */
export async function importFile(
  db: Db,
  opts: { kind?: string; file?: string; dryRun?: boolean; encoding?: string; asOf?: string; json?: boolean; locale?: string },
): Promise<CliOutput> {
  if (!opts.kind || !isImportKind(opts.kind)) throw new UsageError(`<kind> must be one of ${IMPORT_KINDS.join(", ")}`);
  if (!opts.file) throw new UsageError("<file> is required");
  const encoding = (opts.encoding ?? "auto") as Encoding;
  if (!ENCODINGS.includes(encoding)) throw new UsageError(`--encoding must be one of ${ENCODINGS.join(", ")}`);
  if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) throw new UsageError("--as-of must be a YYYY-MM-DD date");
  const info = await stat(opts.file).catch(() => null);
  if (!info?.isFile()) throw new UsageError(`no such file: ${opts.file}`);
  const locale = opts.locale ?? "en";

  const importId = await createImport(db, {
    kind: opts.kind,
    fileName: path.basename(opts.file),
    fileBytes: info.size,
    storedPath: null,
    encoding,
    dryRun: opts.dryRun ?? false,
    userId: null,
  });
  const r = await processImport(db, importId, { filePath: opts.file, asOf: opts.asOf, systemActor: "cli" });
  if (!r) throw new Error(`import ${importId} was already finished`);

  const out: CliOutput = { code: r.status === "succeeded" ? 0 : 1, stdout: [], stderr: [] };
  out.stderr.push(...r.warnings.map((w) => `warning: ${formatImportWarning(w, locale)}`));
  if (r.status === "rejected") {
    out.stderr.push(...r.errors.map((e) => formatImportError(e, locale)));
    const shown = r.errors.length < r.errorCount ? ` (first ${r.errors.length} shown)` : "";
    out.stderr.push(`import ${importId} rejected: ${r.errorCount} error(s)${shown}; nothing was written`);
  }
  if (opts.json) {
    out.stdout.push(JSON.stringify({ importId, ...r, errors: r.errors.map((e) => ({ ...e, message: issueMessage(e, locale) })) }));
  } else if (r.status === "succeeded") {
    const counts = `${r.rowsNew} new, ${r.rowsChanged} changed, ${r.rowsUnchanged} unchanged`;
    out.stdout.push(
      r.dryRun
        ? `import ${importId} (dry run): ${r.kind} file is valid, ${r.rowsParsed} rows; it would write ${counts}`
        : `import ${importId}: ${r.rowsWritten} ${r.kind} rows written (${counts}); ${r.loansQueued} loans queued for recomputation`,
    );
  }
  return out;
}

/** One line per problem, for stderr. */
export function describeError(e: unknown): string {
  if (e instanceof AppError) {
    if (e.issues.length) return renderIssues(e.issues, "en").map((i) => `${i.field}: ${i.message}`).join("\n");
    return `${e.code}${Object.keys(e.params).length ? ` (${Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(", ")})` : ""}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** `settings show`: the delinquency engine's effective configuration (defaults where nothing is set). */
export async function settingsShow(db: Db): Promise<string> {
  return JSON.stringify(await loadDelinquencyConfig(db), null, 2);
}

/** `settings set <key> <json>`: validated and audited; effective at the next recompute. */
export async function settingsSet(db: Db, key: string | undefined, json: string | undefined): Promise<string> {
  if (!key || json === undefined) throw new UsageError(`settings set needs a key (${SETTING_KEYS.join(", ")}) and a JSON value`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new UsageError(`the value is not valid JSON: ${json}`);
  }
  await setDelinquencySetting(db, SYSTEM, key, value);
  return `${key} = ${JSON.stringify(value)} (takes effect at the next recompute: npm run cli -- recompute)`;
}

/** `recompute [--as-of D]`: the whole portfolio's delinquency state, as the nightly job does it. */
export async function recomputeCommand(db: Db, asOf: string | undefined): Promise<string> {
  if (asOf !== undefined && !isIsoDate(asOf)) throw new UsageError("--as-of must be a date YYYY-MM-DD");
  const day = asOf ?? todayIn();
  const t0 = performance.now();
  const r = await recomputeAll(db, day, { batchSize: 2_000 });
  return `recomputed ${r.loans} loans as of ${day}: ${r.changed} changed (${((performance.now() - t0) / 1000).toFixed(1)} s)`;
}

/**
 * `cob [--as-of D]`: starts the nightly portfolio run for D (or joins the one already running) and waits for the
 * workers to finish it, printing progress. Exit 0 when it succeeded. Needs a running worker process.
 */
export async function cobCommand(db: Db, queues: Queues, asOf: string | undefined, print: (line: string) => void, opts: { timeoutMs?: number } = {}): Promise<0 | 1> {
  if (asOf !== undefined && !isIsoDate(asOf)) throw new UsageError("--as-of must be a date YYYY-MM-DD");
  const day = asOf ?? todayIn();
  const { run, created } = await startCob(db, queues, { asOf: day, trigger: "cli" });
  print(`${created ? "started" : "joined running"} COB run ${run.id} as of ${day}: ${run.partitionsTotal} partitions`);
  const t0 = performance.now();
  const done = await waitForCob(
    db,
    run.id,
    (r) => print(`run ${r.id}: ${r.partitionsDone}/${r.partitionsTotal} partitions, ${r.loansEvaluated} loans evaluated, ${r.warningsOpened} warnings raised, ${r.warningsClosed} closed`),
    { timeoutMs: opts.timeoutMs },
  );
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  print(done.status === "succeeded" ? `COB run ${run.id} succeeded in ${secs} s` : `COB run ${run.id} is ${done.status} after ${secs} s (is a worker running? npm run worker)`);
  return done.status === "succeeded" ? 0 : 1;
}

/** `month-ends`: the dashboard's month-end snapshots for the N month-ends before the date (lib/dashboard/snapshots.ts). */
export async function monthEndsCommand(db: Db, opts: { asOf?: string; months?: string; force?: boolean }): Promise<string> {
  if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) throw new UsageError("--as-of must be a date YYYY-MM-DD");
  const months = opts.months === undefined ? 13 : Number(opts.months);
  if (!Number.isInteger(months) || months < 1 || months > 60) throw new UsageError("--months must be a whole number from 1 to 60");
  const t0 = performance.now();
  const r = await writeMonthEnds(db, opts.asOf ?? todayIn(), { months, force: opts.force });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  return `month-ends written: ${r.written.join(", ") || "none"}; already there: ${r.kept.join(", ") || "none"} (${secs} s)`;
}
