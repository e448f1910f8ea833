// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes validate with. 3.1 schemas are
// JSON Schema 2020-12, which is what zod emits (examples arrays, type lists for nullable values).
import { z } from "zod";
import { customerQuerySchema } from "../customers/queries";
import { dashboardQuerySchema } from "../dashboard/period";
import { horizonQuerySchema } from "../insights/params";
import { customerIn, loanIn, repaymentIn, repaymentsBodyDoc } from "../intake/schemas";
import { taskQuerySchema } from "../tasks/queries";
import { followUpSchema, transitionSchema } from "../tasks/service";
import { warningQuerySchema } from "../warnings/queries";
import { churnQuerySchema } from "../churn/queries";
import { applicationQuerySchema } from "../applications/queries";
import { requestSchema as reportRequestSchema } from "../reports/service";
import { adjustmentSchema, ledgerQuerySchema } from "../incentives/scheme";

// The document declares its dialect once (OpenAPI 3.1's default), so each schema drops its own $schema.
const schema = (s: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  return rest;
};

const errorBody = {
  type: "object",
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: ["unauthenticated", "forbidden", "notFound", "conflict", "invalid", "tooLarge", "throttled", "unavailable", "internal"] },
        message: { type: "string", description: "in the caller's language (Accept-Language or the NEXT_LOCALE cookie)" },
        ref: { type: "string", description: "with code internal: the reference to quote to an administrator" },
        issues: {
          type: "array",
          items: {
            type: "object",
            required: ["field", "code", "message"],
            properties: { field: { type: "string", examples: ["items.3.amount"] }, code: { type: "string", examples: ["amount.negative"] }, message: { type: "string" } },
          },
        },
      },
    },
  },
} as const;

const err = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description: "8–128 characters. Re-sending the same key and body returns the first response (header Idempotent-Replayed: true); the same key with another body is 409.",
  schema: { type: "string", minLength: 8, maxLength: 128 },
};
const writeResponses = {
  "401": err("no valid token or session"),
  "403": err("the role may not write (customers, loans and repayments: only the integration service account and admins)"),
  "404": err("a referenced customer or loan does not exist or is outside the caller's scope"),
  "409": err("the Idempotency-Key was used with another body, or the record already exists"),
  "413": err("the body is larger than 1 MB"),
  "422": err("validation failed; `issues` names each field"),
  "429": err("the token's requests per minute are used up; the Retry-After header says how many seconds to wait"),
};

const periodParam = { name: "period", in: "path", required: true, schema: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$", examples: ["2026-11"] } };
const idParam = { name: "id", in: "path", required: true, schema: { type: "integer" } };

function queryParams(s: z.ZodObject) {
  const js = schema(s) as { properties: Record<string, object> };
  return Object.entries(js.properties).map(([name, sch]) => ({ name, in: "query", required: false, schema: sch }));
}

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "churnwatch API",
      version: "1",
      description: "Bearer tokens from `npm run cli -- token create --user U --name LABEL`. Every read and write is limited to the token user's data scope; out of scope answers 404. Each token may make API_RATE_PER_MINUTE requests a minute (12,000 unless the operator set otherwise); past that the API answers 429 with Retry-After. Request bodies are limited to 1 MB (413). Customers, loans and repayments are written by the core banking feed's service account (role `integration`, `npm run cli -- user create --role integration`, no branch) or an admin; other roles get 403.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Error: errorBody,
        Repayment: schema(repaymentIn),
        RepaymentsRequest: schema(repaymentsBodyDoc),
        Customer: schema(customerIn),
        Loan: schema(loanIn),
        FollowUp: schema(followUpSchema),
        Transition: schema(transitionSchema),
        ReportRequest: schema(reportRequestSchema),
      },
    },
    paths: {
      "/repayments": {
        post: {
          summary: "Record one repayment or a batch ({items: [...]}, at most 1,000); role integration or admin",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/RepaymentsRequest" } } } },
          responses: { "201": { description: "created and duplicate (same external_id, same content) items" }, ...writeResponses },
        },
      },
      "/customers": {
        get: { summary: "List the caller's customers", parameters: queryParams(customerQuerySchema), responses: { "200": { description: "{rows, total, page, pageSize}" }, "401": err("unauthenticated"), "422": err("bad query parameter") } },
        post: {
          summary: "Register an enterprise customer; role integration or admin",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Customer" } } } },
          responses: { "201": { description: "created" }, ...writeResponses },
        },
      },
      "/customers/{customerNo}": {
        get: {
          summary: "One customer with its loans",
          parameters: [{ name: "customerNo", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "{customer, loans}" }, "401": err("unauthenticated"), "404": err("unknown or out of scope") },
        },
      },
      "/loans": {
        post: {
          summary: "Register a loan contract with its schedule (given, or implied by the repayment method); role integration or admin",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Loan" } } } },
          responses: { "201": { description: "created" }, ...writeResponses },
        },
      },
      "/loans/{contractNo}": {
        get: {
          summary: "A loan with its schedule, repayments and current state (outstanding, DPD, bucket, class)",
          parameters: [{ name: "contractNo", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "{loan, schedule, repayments, state, history}" }, "401": err("unauthenticated"), "404": err("unknown or out of scope") },
        },
      },
      "/churn-events": {
        get: {
          summary: "List the caller's churn events (scoped through their customer; docs/churn.md defines kinds and amounts)",
          parameters: queryParams(churnQuerySchema),
          responses: { "200": { description: "{rows, total, byStatus, page, pageSize}; amounts in fen" }, "401": err("unauthenticated"), "422": err("bad query parameter") },
        },
      },
      "/applications": {
        get: {
          summary: "List the caller's loan applications (scoped through the applicant) by funnel step and submission dates — the dashboard funnel's lists",
          parameters: queryParams(applicationQuerySchema),
          responses: { "200": { description: "{rows, total, page, pageSize}; amounts in fen" }, "401": err("unauthenticated"), "403": err("role without access"), "422": err("bad query parameter") },
        },
      },
      "/warnings": {
        get: { summary: "List the caller's warnings (scoped through their customer)", parameters: queryParams(warningQuerySchema), responses: { "200": { description: "{rows, total, bySeverity, page, pageSize}" }, "401": err("unauthenticated"), "422": err("bad query parameter") } },
      },
      "/warnings/{id}": {
        get: { summary: "One warning with its rule version, evidence and history", parameters: [idParam], responses: { "200": { description: "the warning" }, "401": err("unauthenticated"), "404": err("unknown or out of scope") } },
      },
      "/tasks": {
        get: {
          summary: "The caller's intervention tasks (an RM's own, a supervisor's branch, all for admins and HR), with counts by state",
          parameters: queryParams(taskQuerySchema),
          responses: { "200": { description: "{rows, total, counts, page, pageSize}" }, "401": err("unauthenticated"), "422": err("bad query parameter") },
        },
      },
      "/tasks/{id}": {
        get: {
          summary: "One task: warnings with evidence, the customer at a glance, playbook, follow-ups, history, the caller's allowed actions",
          parameters: [idParam],
          responses: { "200": { description: "the task detail" }, "401": err("unauthenticated"), "404": err("unknown or out of scope") },
        },
      },
      "/tasks/{id}/follow-ups": {
        post: {
          summary: "Record a contact (stops the first-contact clock), optionally a next-action date or a promise to pay",
          parameters: [idParam, idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/FollowUp" } } } },
          responses: { "201": { description: "{id, taskStatus}" }, ...writeResponses, "409": err("the task is closed, or the Idempotency-Key was reused") },
        },
      },
      "/tasks/{id}/transitions": {
        post: {
          summary: "acknowledge · start · resolve (with outcome) · cancel (with reason) · reassign (supervisor/admin) · escalate",
          parameters: [idParam, idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Transition" } } } },
          responses: { "201": { description: "{id, status, version}" }, ...writeResponses, "409": err("not allowed in the task's state, stale expectedVersion, or a reused Idempotency-Key") },
        },
      },
      "/incentives/periods": {
        get: { summary: "Incentive periods (months, open or locked) with the caller's scope of the ledger summed", responses: { "200": { description: "{periods: [{period, status, entries, rms, pending, points, adjustmentsPending}]}" }, "401": err("unauthenticated") } },
      },
      "/incentives/periods/{period}": {
        get: {
          summary: "Per-RM totals of a period by rule, caps applied, outliers flagged (HR: all; supervisor: their branch; RM: their own line). docs/incentives.md",
          parameters: [periodParam],
          responses: { "200": { description: "{period, status, schemeVersion, rms: [{username, byRule, pending, gains, capped, losses, adjustments, payable, outlier, rank}], fences}" }, "401": err("unauthenticated"), "404": err("no such period") },
        },
      },
      "/incentives/periods/{period}/lock": {
        post: {
          summary: "HR locks an ended period: nothing in it changes afterwards; late entries land in the next open period. Body empty or {}",
          parameters: [periodParam, idempotencyKey],
          responses: { "201": { description: "{period, status}" }, ...writeResponses, "403": err("only HR and admins lock periods"), "409": err("already locked, not ended, or adjustments await a decision") },
        },
      },
      "/incentives/ledger": {
        get: {
          summary: "Ledger entries with their evidence (task, customer, follow-ups, churn event); rm = username (an RM: only their own)",
          parameters: queryParams(ledgerQuerySchema),
          responses: { "200": { description: "{entries}" }, "401": err("unauthenticated"), "404": err("the RM is outside the caller's scope") },
        },
      },
      "/incentives/adjustments": {
        post: {
          summary: "HR proposes an adjustment; another HR user or admin approves it",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: schema(adjustmentSchema) } } },
          responses: { "201": { description: "{id, status}" }, ...writeResponses, "403": err("only HR and admins propose adjustments"), "409": err("the period is locked, or a reused Idempotency-Key") },
        },
      },
      "/incentives/adjustments/{id}/approve": {
        post: {
          summary: "Approve an adjustment (not by its proposer): appends an 'adjusted' ledger entry. Body empty or {}",
          parameters: [idParam, idempotencyKey],
          responses: { "201": { description: "{id, status, entryPeriod}" }, ...writeResponses, "403": err("only HR and admins approve"), "409": err("the proposer cannot approve, already decided, or the period is locked") },
        },
      },
      "/tasks/{id}/checklist": {
        post: {
          summary: "Tick or untick a playbook item: {itemKey, checked}",
          parameters: [idParam, idempotencyKey],
          responses: { "201": { description: "{checked}" }, ...writeResponses },
        },
      },
      "/tasks/acknowledge": {
        post: { summary: "Acknowledge several open tasks: {ids}", parameters: [idempotencyKey], responses: { "201": { description: "{acknowledged: [ids]}" }, ...writeResponses } },
      },
      "/tasks/board": {
        get: { summary: "Supervisors and admins: active tasks by assignee × state, overdue and escalated", responses: { "200": { description: "{rows}" }, "401": err("unauthenticated"), "403": err("not a supervisor or admin") } },
      },
      "/dashboard": {
        get: {
          summary:
            "Supervisors and admins: the dashboard's figures for a period (period=YYYY-MM | YYYY-Qn | YYYY, or from and to; default the current month to date) — intervention (tasks now, resolutions, SLA, first contact per RM, outcomes, retention), portfolio quality (five-category mix, NPL trend, warnings by rule and severity), the pre-loan funnel. A supervisor's branchId may only be their own.",
          parameters: queryParams(dashboardQuerySchema),
          responses: {
            "200": { description: "{period, now, computedAt, branchId, intervention, portfolio, funnel, churn} — definitions in docs/telemetry.md" },
            "401": err("unauthenticated"),
            "404": err("another branch than the supervisor's own, an unknown branch, or a role without a dashboard"),
            "422": err("bad period or branch"),
          },
        },
      },
      "/reports": {
        post: {
          summary:
            "Supervisors (their own branch) and admins (any branch, or branch null for the whole bank): request a churn report (贷款客户流失情况汇报材料) for a month (2026-11), quarter (2026-Q3) or year (2026). The reports worker generates it; poll GET /reports/{id} for status and progress.",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ReportRequest" } } } },
          responses: {
            "202": { description: "{id} — recorded; the worker generates it" },
            "401": err("unauthenticated"),
            "404": err("another branch than the supervisor's own, the bank for a supervisor, an unknown branch code, or a role without reports (RM, HR)"),
            "409": err("the Idempotency-Key was used with another body"),
            "422": err("bad period or branch; `issues` names the field"),
          },
        },
        get: { summary: "The reports the caller may read (supervisor: their branch; admin: all), newest first", responses: { "200": { description: "{rows}" }, "401": err("unauthenticated"), "404": err("a role without reports") } },
      },
      "/reports/{id}": {
        get: {
          summary: "One report: status (queued, running, ready, failed), progress, revision, finalisation, and its sections as JSON (basic, reasons, loss, measures; amounts in fen) — definitions in docs/reports.md",
          parameters: [idParam],
          responses: { "200": { description: "the report with `snapshot` (null until generated)" }, "401": err("unauthenticated"), "404": err("unknown, or outside the caller's scope") },
        },
      },
      "/reports/{id}/export": {
        get: {
          summary: "The report as XLSX (one sheet per section) or PDF (rendered by the reports worker for the current revision); lang=zh-CN|en",
          parameters: [
            idParam,
            { name: "format", in: "query", required: true, schema: { type: "string", enum: ["xlsx", "pdf"] } },
            { name: "lang", in: "query", required: false, schema: { type: "string", enum: ["zh-CN", "en"], default: "zh-CN" } },
          ],
          responses: {
            "200": { description: "the file", content: { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}, "application/pdf": {} } },
            "401": err("unauthenticated"),
            "404": err("unknown, or outside the caller's scope"),
            "409": err("not generated yet, or its PDF is still being rendered"),
            "422": err("format is not xlsx or pdf"),
          },
        },
      },
      "/insights/rules": {
        get: {
          summary:
            "Supervisors and admins: warning quality per rule version for a period (as /dashboard: period or from and to, branchId) and a horizon H in days (default 180) — warnings raised, hits (by churn event or confirming task), false alarms, pending, precision, false-alarm share; churn events of the period, caught, recall, lead time (median, p25, p75); and the same for any rule.",
          parameters: [...queryParams(dashboardQuerySchema), ...queryParams(horizonQuerySchema)],
          responses: {
            "200": { description: "{period, computedAt, horizon, today, branchId, rows, overall} — definitions in docs/telemetry.md (warning quality)" },
            "401": err("unauthenticated"),
            "404": err("another branch than the supervisor's own, an unknown branch, or a role without telemetry (RM, HR)"),
            "422": err("bad period, branch or horizon"),
          },
        },
      },
      "/insights/staff": {
        get: {
          summary:
            "Supervisors and admins: per RM and branch for a period and horizon — tasks opened, alert → first contact (median, p90 hours), first-contact and resolution SLA compliance, retention of customers who had a task against comparable customers (same severity band) without one.",
          parameters: [...queryParams(dashboardQuerySchema), ...queryParams(horizonQuerySchema)],
          responses: {
            "200": { description: "{period, computedAt, horizon, today, branchId, overall, rms, branches, bands} — definitions in docs/telemetry.md (warning quality)" },
            "401": err("unauthenticated"),
            "404": err("another branch than the supervisor's own, an unknown branch, or a role without telemetry (RM, HR)"),
            "422": err("bad period, branch or horizon"),
          },
        },
      },
      "/notifications": {
        get: { summary: "The caller's notifications, newest first, with the unread count", responses: { "200": { description: "{rows, total, unread}" }, "401": err("unauthenticated") } },
      },
      "/notifications/read": {
        post: { summary: "Mark notifications read: {ids} or {all: true}", responses: { "200": { description: "{unread}" }, "401": err("unauthenticated") } },
      },
    },
  };
}
