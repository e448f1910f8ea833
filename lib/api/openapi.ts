// The OpenAPI document of /api/v1, generated from the same zod schemas the routes validate with.
import { z } from "zod";
import { customerQuerySchema } from "../customers/queries";
import { customerIn, loanIn, repaymentIn, repaymentsBodyDoc } from "../intake/schemas";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "openapi-3.0" });

const errorBody = {
  type: "object",
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: ["unauthenticated", "forbidden", "notFound", "conflict", "invalid", "throttled", "unavailable", "internal"] },
        message: { type: "string", description: "in the caller's language (Accept-Language or the NEXT_LOCALE cookie)" },
        issues: {
          type: "array",
          items: {
            type: "object",
            required: ["field", "code", "message"],
            properties: { field: { type: "string", example: "items.3.amount" }, code: { type: "string", example: "amount.negative" }, message: { type: "string" } },
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
  "403": err("the role may not write"),
  "404": err("a referenced customer or loan does not exist or is outside the caller's scope"),
  "409": err("the Idempotency-Key was used with another body, or the record already exists"),
  "422": err("validation failed; `issues` names each field"),
};

function queryParams(s: z.ZodObject) {
  const js = schema(s) as { properties: Record<string, object> };
  return Object.entries(js.properties).map(([name, sch]) => ({ name, in: "query", required: false, schema: sch }));
}

export function openApiDocument() {
  return {
    openapi: "3.0.3",
    info: {
      title: "churnwatch API",
      version: "1",
      description: "Bearer tokens from `npm run cli -- token create --user U --name LABEL`. Every read and write is limited to the token user's data scope; out of scope answers 404.",
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
      },
    },
    paths: {
      "/repayments": {
        post: {
          summary: "Record one repayment or a batch ({items: [...]}, at most 1,000)",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/RepaymentsRequest" } } } },
          responses: { "201": { description: "created and duplicate (same external_id, same content) items" }, ...writeResponses },
        },
      },
      "/customers": {
        get: { summary: "List the caller's customers", parameters: queryParams(customerQuerySchema), responses: { "200": { description: "{rows, total, page, pageSize}" }, "401": err("unauthenticated"), "422": err("bad query parameter") } },
        post: {
          summary: "Register an enterprise customer",
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
          summary: "Register a loan contract with its schedule (given, or implied by the repayment method)",
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
    },
  };
}
