// `npm run audit:check`: `npm audit --omit=dev` against audit-allowlist.json. Fails on an advisory the allowlist
// does not name, on an allowlist entry past its expiry date, and on an entry that no longer matches any advisory
// (fixed or withdrawn: it is taken out, so the list never accepts more than it says). When the registry's advisory
// service cannot be reached the check says so and passes, unless --strict (or AUDIT_STRICT=1) asks for a failure.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

export const allowlistSchema = z.object({
  advisories: z.record(
    z.string().regex(/^(GHSA(-[23456789cfghjmpqrvwx]{4}){3}|\d+)$/, "a GHSA id or npm's numeric advisory id"),
    z.object({
      package: z.string().min(1),
      reason: z.string().min(20, "say why the advisory does not apply or cannot be fixed yet"),
      expires: z.iso.date(),
    }),
  ),
});
export type Allowlist = z.infer<typeof allowlistSchema>;

// npm audit --json (report version 2): each vulnerable package lists what makes it vulnerable in `via`, either an
// advisory object or the name of a vulnerable dependency.
const advisorySchema = z.object({ source: z.number(), name: z.string(), title: z.string(), url: z.string(), severity: z.string() });
const reportSchema = z.object({
  vulnerabilities: z.record(z.string(), z.object({ via: z.array(z.union([z.string(), advisorySchema.loose()])) }).loose()),
});

export type Advisory = { id: string; package: string; title: string; severity: string; url: string };
export type Verdict = { unexpected: Advisory[]; expired: string[]; stale: string[] };

/** The advisories in an audit report, once each, by GHSA id (or npm's number when the URL has none). */
export function advisoriesOf(report: unknown): Advisory[] {
  const parsed = reportSchema.parse(report);
  const out = new Map<string, Advisory>();
  for (const v of Object.values(parsed.vulnerabilities)) {
    for (const via of v.via) {
      if (typeof via === "string") continue;
      const id = /GHSA(-[a-z0-9]{4}){3}/i.exec(via.url)?.[0] ?? String(via.source);
      out.set(id, { id, package: via.name, title: via.title, severity: via.severity, url: via.url });
    }
  }
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function judge(advisories: readonly Advisory[], allowlist: Allowlist, today: string): Verdict {
  const found = new Set(advisories.map((a) => a.id));
  return {
    unexpected: advisories.filter((a) => !(a.id in allowlist.advisories)),
    expired: Object.entries(allowlist.advisories)
      .filter(([, e]) => e.expires < today)
      .map(([id]) => id),
    stale: Object.keys(allowlist.advisories).filter((id) => !found.has(id)),
  };
}

/** npm's answer when the audit could not run at all (offline, or the registry refused the endpoint). */
export function auditFailure(report: unknown): string | null {
  if (report && typeof report === "object" && "vulnerabilities" in report) return null;
  const r = report as { message?: unknown; error?: { summary?: unknown } } | null;
  return String(r?.message ?? r?.error?.summary ?? "no report");
}

function main(): number {
  const { values } = parseArgs({ options: { strict: { type: "boolean", default: false }, allowlist: { type: "string", default: "audit-allowlist.json" } } });
  const strict = values.strict || process.env.AUDIT_STRICT === "1";
  const allowlist = allowlistSchema.parse(JSON.parse(readFileSync(path.resolve(values.allowlist), "utf8")));
  const npm = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  let report: unknown = null;
  try {
    report = JSON.parse(npm.stdout);
  } catch {
    report = { message: (npm.stderr || npm.stdout || String(npm.error)).trim().split("\n")[0] };
  }
  const failure = auditFailure(report);
  if (failure !== null) {
    console.log(`[audit] npm audit could not run: ${failure}`);
    console.log(strict ? "[audit] FAILED (--strict)" : "[audit] skipped: no advisory data (pass --strict to fail instead)");
    return strict ? 1 : 0;
  }
  const advisories = advisoriesOf(report);
  const v = judge(advisories, allowlist, new Date().toISOString().slice(0, 10));
  for (const a of v.unexpected) console.log(`[audit] not allowed: ${a.id} ${a.package} (${a.severity}) ${a.title} ${a.url}`);
  for (const id of v.expired) console.log(`[audit] allowlist entry expired: ${id} (${allowlist.advisories[id]!.expires}): fix it or renew the entry with a reason`);
  for (const id of v.stale) console.log(`[audit] allowlist entry no longer reported: ${id}: remove it from the allowlist`);
  const ok = !v.unexpected.length && !v.expired.length && !v.stale.length;
  console.log(`[audit] ${advisories.length} advisories in production dependencies, ${Object.keys(allowlist.advisories).length} allowed: ${ok ? "ok" : "FAILED"}`);
  return ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) process.exit(main());
