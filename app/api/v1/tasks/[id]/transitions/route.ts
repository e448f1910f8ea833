// POST /api/v1/tasks/{id}/transitions — {action: acknowledge | start | resolve | cancel | reassign | escalate, …}.
import { taskWrite } from "@/lib/tasks/api";
import { transitionSchema, transitionTask } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

export const POST = taskWrite(transitionSchema, transitionTask);
