// POST /api/v1/tasks/{id}/follow-ups — records a contact (and optionally a next action or a promise to pay).
import { taskWrite } from "@/lib/tasks/api";
import { addParsedFollowUp, followUpSchema } from "@/lib/tasks/service";

export const dynamic = "force-dynamic";

export const POST = taskWrite(followUpSchema, addParsedFollowUp);
