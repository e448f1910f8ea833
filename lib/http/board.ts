// Bull Board (admin-only queue view), served by its Hono adapter inside a Next route handler.
import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { QUEUES } from "../pipeline/define";
import { appQueues } from "./queues";
import { FONT_FILES_PATH, FONTS_CSS_PATH, localiseBoardHtml } from "./board-html";

export const BOARD_BASE = "/admin/queues";

// The board's page asks Google Fonts for IBM Plex; a bank's network has no way out, so the same faces are served
// from the @fontsource packages under the board's own path (weights its stylesheet uses: sans 400–600, mono 400–500).
const FONT_CSS: { pkg: string; weights: number[] }[] = [
  { pkg: "ibm-plex-sans", weights: [400, 500, 600] },
  { pkg: "ibm-plex-mono", weights: [400, 500] },
];
const FONT_FILE = /^(ibm-plex-(?:sans|mono))-[a-z0-9-]+\.woff2?$/;

// turbopackIgnore: read at run time from node_modules (as the board's own static files are), not bundled.
const fontDir = (pkg: string) => path.resolve(/* turbopackIgnore: true */ process.cwd(), "node_modules/@fontsource", pkg, "files");

async function fontsCss(): Promise<string> {
  const parts: string[] = [];
  for (const { pkg, weights } of FONT_CSS) {
    for (const w of weights) {
      const css = await readFile(path.join(fontDir(pkg), "..", `${w}.css`), "utf8");
      parts.push(css.replaceAll("url(./files/", `url(${FONT_FILES_PATH}/`));
    }
  }
  return parts.join("\n");
}

const g = globalThis as unknown as { churnwatchBoard?: Hono; churnwatchBoardFonts?: Promise<string> };

export function boardApp(): Hono {
  if (!g.churnwatchBoard) {
    const adapter = new HonoAdapter(serveStatic);
    adapter.setBasePath(BOARD_BASE);
    const queues = appQueues();
    createBullBoard({
      queues: QUEUES.map((q) => new BullMQAdapter(queues.get(q))),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: "churnwatch", boardLogo: { path: "/favicon.ico", width: 0, height: 0 } } },
    });
    const app = new Hono();
    app.get(`${BOARD_BASE}/${FONTS_CSS_PATH}`, async (c) => {
      g.churnwatchBoardFonts ??= fontsCss();
      return c.body(await g.churnwatchBoardFonts, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=86400" });
    });
    app.get(`${BOARD_BASE}/${FONT_FILES_PATH}/:file`, async (c) => {
      const file = c.req.param("file");
      const m = FONT_FILE.exec(file);
      if (!m) return c.notFound();
      const body = await readFile(path.join(fontDir(m[1]!), file)).catch(() => null);
      if (!body) return c.notFound();
      const type = file.endsWith(".woff2") ? "font/woff2" : "font/woff";
      return c.body(new Uint8Array(body), 200, { "content-type": type, "cache-control": "public, max-age=31536000, immutable" });
    });
    app.route(BOARD_BASE, adapter.registerPlugin());
    // The board's page (its entry routes answer HTML) gets its outside references replaced.
    const board = new Hono();
    board.all("*", async (c) => {
      const res = await app.fetch(c.req.raw);
      if (!res.headers.get("content-type")?.startsWith("text/html")) return res;
      const headers = new Headers(res.headers);
      headers.delete("content-length");
      return new Response(localiseBoardHtml(await res.text()), { status: res.status, headers });
    });
    g.churnwatchBoard = board;
  }
  return g.churnwatchBoard;
}
