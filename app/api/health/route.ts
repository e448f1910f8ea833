import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { checkHealth } from "@/lib/health";
import { appQueues } from "@/lib/http/queues";

export const dynamic = "force-dynamic";

// Unauthenticated on purpose (load balancers call it); it reveals only up/down and a worker count.
export async function GET() {
  const h = await checkHealth(db(), appQueues());
  const down = [h.db === "down" && "db", h.redis === "down" && "redis", h.workers === 0 && "workers"].filter(Boolean);
  if (down.length === 0) return NextResponse.json(h);
  return NextResponse.json({ ...h, error: `down: ${down.join(", ")}` }, { status: 503 });
}
