// Bull Board (admin-only queue view), served by its Hono adapter inside a Next route handler.
import "server-only";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { QUEUES } from "../pipeline/define";
import { appQueues } from "./queues";

export const BOARD_BASE = "/admin/queues";

const g = globalThis as unknown as { churnwatchBoard?: Hono };

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
    app.route(BOARD_BASE, adapter.registerPlugin());
    g.churnwatchBoard = app;
  }
  return g.churnwatchBoard;
}
