// The web server: `next start`, plus the one thing Next cannot give the app, the socket's address. Each request gets
// it in PEER_HEADER, overwriting anything the client sent (lib/auth/client-address.ts); the per-address sign-in
// throttle relies on it. Usage: tsx scripts/serve.ts [-p PORT] [-H HOST] (defaults: $PORT or 3000, all interfaces).
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { markPeerStamping, stampPeer } from "../lib/auth/client-address";
import { EnvError, refuseTestHooksInProduction } from "../lib/env";

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;

async function main() {
  // tsx turns source-mapped stack traces on for its own sake; `next start` runs without them (mapping a stack
  // through hundreds of .next/server/*.map files is slow), and so does this server.
  process.setSourceMapsEnabled(false);
  // Next runs a server without NODE_ENV as production (it sets it so itself): refuse the test hooks before it does.
  try {
    refuseTestHooksInProduction({ ...process.env, NODE_ENV: process.env.NODE_ENV || "production" });
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  markPeerStamping();
  const server = createServer((req, res) => {
    stampPeer(req);
    handle(req, res).catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.listen(port, hostname, () => console.log(`churnwatch web on http://${hostname ?? "localhost"}:${port}`));
  const stop = () => {
    // In-flight requests finish; idle keep-alive connections would otherwise hold the close open.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
