import { guard } from "@/lib/auth/guard";
import { Forbidden, Unauthenticated } from "@/lib/errors";
import { errorResponse } from "@/lib/http/route";
import { boardApp } from "@/lib/http/board";

export const dynamic = "force-dynamic";

async function handle(req: Request): Promise<Response> {
  try {
    await guard(["admin"], req);
  } catch (e) {
    if (e instanceof Unauthenticated) return Response.redirect(new URL(`/login?callbackUrl=/admin/queues`, req.url), 303);
    // Other roles are told nothing exists here.
    if (e instanceof Forbidden) return new Response("Not found", { status: 404 });
    return errorResponse(e);
  }
  return boardApp().fetch(req);
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH };
