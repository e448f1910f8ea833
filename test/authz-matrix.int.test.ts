// Issue 11: the authorisation matrix. Every page (app/**/page.tsx), route handler method (app/**/route.ts) and
// server action (the exports of every 'use server' file) is DISCOVERED from the file tree; each must have a row in
// MATRIX below, or the first test fails (so does a row whose entry point is gone). Each row is then exercised as
// eight callers against one resource — customer C1 of the scope fixture (rm1's, branch 1), its loan L1, its task
// and warning — so that "in scope" and "out of scope" come from the callers: the other RM (rm2) and the other
// branch's supervisor (sup2) are out of scope, everyone else allowed is in.
//
// Expected: anonymous → 401 (a page: redirect to /login); a role the row does not allow → 403 (a page, and the
// queue dashboard: 404, as if nothing were there); allowed but out of scope → 404 for a row about one resource
// (`scoped: "one"`), and for a list (`scoped: "list"`) an answer that does not mention C1; otherwise in (the guard
// and the scope let the call through: any answer but 401/403/404 or a 500). A JSON refusal's error code must agree
// with its status. Whatever HR gets never holds contact data.
//
// Pages run as the functions they are: the page's default export is called with its params, so its guard and data
// loaders run against the database and the React element it returns (the props the browser would receive) is
// searched for contact data. Rendering to HTML is left to the Playwright specs. Route handlers are called with a
// bearer token; pages and actions with the mocked session of lib/auth/nextauth (test/session-mock.ts). The
// integration account never holds a session (lib/auth/sessions.int.test.ts); it is given one here anyway so the
// role gate of every page and action is tested on its own.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/vocabulary";
import type { TestDb } from "./int-db";
import { sessionOf } from "./session-mock";
import { taskAppEnv, type TaskFixture } from "./task-fixture";

vi.mock("next-intl/server", () => ({
  getTranslations: async () => Object.assign((key: string) => key, { has: () => false, rich: (key: string) => key, raw: (key: string) => key }),
  getLocale: async () => "en",
  getMessages: async () => ({}),
}));
const session = vi.hoisted(() => ({ uid: null as number | null }));
vi.mock("@/lib/auth/nextauth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/nextauth")>()),
  currentSession: () => sessionOf(session.uid),
  // The change-password throttle keys on the client address, which Next reads from the request outside a test.
  requestClientAddress: async () => "127.0.0.1",
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// ---- the callers ----
const CALLERS = ["anonymous", "rmOwner", "otherRm", "supSame", "supOther", "hr", "admin", "integration"] as const;
type Caller = (typeof CALLERS)[number];
const USER: Record<Exclude<Caller, "anonymous">, { name: string; role: Role }> = {
  rmOwner: { name: "rm1", role: "rm" },
  otherRm: { name: "rm2", role: "rm" },
  supSame: { name: "sup1", role: "supervisor" },
  supOther: { name: "sup2", role: "supervisor" },
  hr: { name: "hr1", role: "hr" },
  admin: { name: "admin", role: "admin" },
  integration: { name: "feed", role: "integration" },
};
/** The callers for whom C1 and everything hanging off it are outside their scope. */
const OUT_OF_SCOPE: readonly Caller[] = ["otherRm", "supOther"];

// ---- the resource and its markers ----
type Res = { adjustmentId: number; schemeVersionId: number; customerId: number; churnEventId: number; taskId: number; warningId: number; loanId: number; ruleId: number; versionId: number; importId: number; rateId: number; watchId: number; spareUserId: number; playbookItem: string; lexiconVersionId: number; reportId: number; branchCode: string; modelVersionId: number };
/** Text that appears only in C1's rows: a list answer to an out-of-scope caller must not contain it. */
const C1_MARK = "一号公司";
/** Contact data HR must never receive: the customers' contact person and phone, a follow-up's contact and notes. */
const CONTACT = ["李四", "13800000000", "联系人甲", "MATRIX-CONTACT-NOTE"];

// ---- the matrix ----
const STAFF: readonly Role[] = ["rm", "supervisor", "hr", "admin"];
const WORKERS: readonly Role[] = ["rm", "supervisor", "admin"];
const EDITORS: readonly Role[] = ["supervisor", "admin"];
const ADMIN: readonly Role[] = ["admin"];
const BOOKS: readonly Role[] = ["integration", "admin"];
const BOOK_READERS: readonly Role[] = [...STAFF, "integration"];
const HR_ADMIN: readonly Role[] = ["hr", "admin"];

type Base = {
  /** Roles let in; "public" = anyone, signed in or not. */
  allow: readonly Role[] | "public";
  /** "one": about one resource (404 out of scope); "list": filtered by scope (C1 absent out of scope); false: not customer data. */
  scoped: "one" | "list" | false;
  /** Refused roles see 404 rather than 403 (pages, the queue dashboard). */
  refusedAs404?: boolean;
  /**
   * The queue dashboard answers 404 itself for a path it has no handler for: there only the guard's own body
   * ("Not found") counts as refused.
   */
  guard404Body?: string;
};
type PageRow = Base & { params?: (r: Res) => Record<string, string | string[]> };
type RouteRow = Base & { path: (r: Res) => string; params?: (r: Res) => Record<string, string | string[]>; body?: (r: Res, n: number) => unknown };
type ActionRow = Base & { args: (r: Res, n: number) => unknown[] };
type Skip = { skip: string };

const one = (allow: readonly Role[]) => ({ allow, scoped: "one" as const });
const list = (allow: readonly Role[]) => ({ allow, scoped: "list" as const });
const plain = (allow: readonly Role[] | "public") => ({ allow, scoped: false as const });
const customerBody = (n: number) => ({
  customer_no: `MX${n}`,
  name: "矩阵公司",
  credit_code: "not-checked-before-the-guard",
  legal_rep: "王五",
  registered_capital: "5000000",
  industry_code: "F51",
  region: "杭州市",
  rm_username: "rm1",
  onboarded_on: "2026-05-01",
});

const PAGES: Record<string, PageRow> = {
  "/": { ...plain(STAFF), refusedAs404: true },
  "/account": { ...plain(STAFF), refusedAs404: true },
  "/admin": { ...plain(ADMIN), refusedAs404: true },
  "/admin/branches": { ...plain(ADMIN), refusedAs404: true },
  "/admin/cob": { ...plain(EDITORS), refusedAs404: true },
  "/admin/imports": { ...plain(ADMIN), refusedAs404: true },
  "/admin/reference": { ...plain(ADMIN), refusedAs404: true },
  "/admin/rules": { ...plain(EDITORS), refusedAs404: true },
  "/admin/signals": { ...plain(ADMIN), refusedAs404: true },
  "/admin/model": { ...plain(EDITORS), refusedAs404: true },
  "/admin/rules/[id]": { ...plain(EDITORS), refusedAs404: true, params: (r) => ({ id: String(r.ruleId) }) },
  "/admin/tasks-settings": { ...plain(ADMIN), refusedAs404: true },
  "/admin/users": { ...plain(ADMIN), refusedAs404: true },
  "/churn": { ...list(STAFF), refusedAs404: true },
  "/applications": { ...list(STAFF), refusedAs404: true },
  "/admin/churn-settings": { ...plain(ADMIN), refusedAs404: true },
  "/customers": { ...list(STAFF), refusedAs404: true },
  "/customers/[id]": { ...one(STAFF), refusedAs404: true, params: (r) => ({ id: String(r.customerId) }) },
  "/hr": { ...plain(["hr"]), refusedAs404: true },
  "/hr/staff": { ...plain(["hr"]), refusedAs404: true },
  "/incentives": { ...plain(["supervisor", "admin", "hr"]), refusedAs404: true },
  "/incentives/[period]": { ...plain(["hr", "admin", "supervisor"]), refusedAs404: true, params: () => ({ period: "2026-05" }) },
  "/incentives/scheme": { ...plain(HR_ADMIN), refusedAs404: true },
  "/rm/score": { ...list(["rm"]), refusedAs404: true },
  "/loans/[id]": { ...one(STAFF), refusedAs404: true, params: (r) => ({ id: String(r.loanId) }) },
  "/notifications": { ...plain(STAFF), refusedAs404: true },
  "/rm": { ...list(["rm"]), refusedAs404: true },
  "/supervisor": { ...list(EDITORS), refusedAs404: true },
  "/supervisor/tasks": { ...list(EDITORS), refusedAs404: true },
  "/insights": { ...list(EDITORS), refusedAs404: true },
  "/tasks/[id]": { ...one(STAFF), refusedAs404: true, params: (r) => ({ id: String(r.taskId) }) },
  "/warnings": { ...list(STAFF), refusedAs404: true },
  "/warnings/[id]": { ...one(STAFF), refusedAs404: true, params: (r) => ({ id: String(r.warningId) }) },
  "/login": plain("public"),
  "/reports": { ...list(EDITORS), refusedAs404: true },
  "/reports/[id]": { ...one(EDITORS), refusedAs404: true, params: (r) => ({ id: String(r.reportId) }) },
  "/reports/[id]/print": { ...one(EDITORS), refusedAs404: true, params: (r) => ({ id: String(r.reportId) }) },
};

const ROUTES: Record<string, RouteRow | Skip> = {
  "GET /admin/queues/[[...path]]": { ...plain(ADMIN), refusedAs404: true, guard404Body: "Not found", path: () => "/admin/queues", params: () => ({ path: [] }) },
  "POST /admin/queues/[[...path]]": { ...plain(ADMIN), refusedAs404: true, guard404Body: "Not found", path: () => "/admin/queues/api/queues/nope/clean/completed", params: () => ({ path: ["api", "queues", "nope", "clean", "completed"] }), body: () => ({}) },
  "PUT /admin/queues/[[...path]]": { ...plain(ADMIN), refusedAs404: true, guard404Body: "Not found", path: () => "/admin/queues/api/queues/nope/pause", params: () => ({ path: ["api", "queues", "nope", "pause"] }), body: () => ({}) },
  "DELETE /admin/queues/[[...path]]": { ...plain(ADMIN), refusedAs404: true, guard404Body: "Not found", path: () => "/admin/queues/api/queues/nope", params: () => ({ path: ["api", "queues", "nope"] }), body: () => ({}) },
  "PATCH /admin/queues/[[...path]]": { ...plain(ADMIN), refusedAs404: true, guard404Body: "Not found", path: () => "/admin/queues/api/queues/nope", params: () => ({ path: ["api", "queues", "nope"] }), body: () => ({}) },
  "GET /api/auth/[...nextauth]": { skip: "Auth.js's own endpoints (sign-in, callback, session, CSRF), public by design; driven end to end in test/auth-flow.int.test.ts and e2e/auth.spec.ts" },
  "POST /api/auth/[...nextauth]": { skip: "as GET /api/auth/[...nextauth]" },
  "GET /api/health": { ...plain("public"), path: () => "/api/health" },
  "GET /api/cob-runs": { ...plain(EDITORS), path: () => "/api/cob-runs" },
  "GET /api/model/versions": { ...plain(EDITORS), path: () => "/api/model/versions" },
  "GET /api/model/versions/[id]": { ...plain(EDITORS), path: (r) => `/api/model/versions/${r.modelVersionId}`, params: (r) => ({ id: String(r.modelVersionId) }) },
  "GET /api/imports": { ...plain(ADMIN), path: () => "/api/imports" },
  "POST /api/imports": { ...plain(ADMIN), path: () => "/api/imports", body: () => ({}) },
  "GET /api/imports/[id]": { ...plain(ADMIN), path: (r) => `/api/imports/${r.importId}`, params: (r) => ({ id: String(r.importId) }) },
  "GET /api/imports/[id]/errors.csv": { ...plain(ADMIN), path: (r) => `/api/imports/${r.importId}/errors.csv`, params: (r) => ({ id: String(r.importId) }) },
  "GET /api/imports/templates/[kind]": { ...plain(ADMIN), path: () => "/api/imports/templates/customers", params: () => ({ kind: "customers" }) },
  "POST /api/test/clock": { ...plain(ADMIN), path: () => "/api/test/clock", body: () => ({ advanceMs: 0 }) },
  "DELETE /api/test/clock": { ...plain(ADMIN), path: () => "/api/test/clock" },
  "GET /api/incentives/[period]/export": { ...plain(HR_ADMIN), path: () => "/api/incentives/2026-05/export", params: () => ({ period: "2026-05" }) },
  "GET /api/v1/incentives/periods": { ...list(STAFF), path: () => "/api/v1/incentives/periods" },
  "GET /api/v1/incentives/periods/[period]": { ...plain(STAFF), path: () => "/api/v1/incentives/periods/2026-05", params: () => ({ period: "2026-05" }) },
  // HR locks the period; the admin after them meets a conflict (already locked): both past the guard.
  "POST /api/v1/incentives/periods/[period]/lock": { ...plain(HR_ADMIN), path: () => "/api/v1/incentives/periods/2026-04/lock", params: () => ({ period: "2026-04" }), body: () => ({}) },
  "GET /api/v1/incentives/ledger": { ...one(STAFF), path: () => "/api/v1/incentives/ledger?rm=rm1" },
  "GET /api/v1/incentives/adjustments": { ...list(STAFF), path: () => "/api/v1/incentives/adjustments" },
  "POST /api/v1/incentives/adjustments": { ...plain(HR_ADMIN), path: () => "/api/v1/incentives/adjustments", body: () => ({ period: "2026-05", rm: "rm1", points: 1, reason: "matrix reason" }) },
  "POST /api/v1/incentives/adjustments/[id]/approve": { ...plain(HR_ADMIN), path: (r) => `/api/v1/incentives/adjustments/${r.adjustmentId}/approve`, params: (r) => ({ id: String(r.adjustmentId) }), body: () => ({}) },
  "GET /api/v1/churn-events": { ...list(STAFF), path: () => "/api/v1/churn-events?pageSize=200" },
  "GET /api/v1/applications": { ...list(STAFF), path: () => "/api/v1/applications?pageSize=200" },
  "GET /api/v1/customers": { ...list(BOOK_READERS), path: () => "/api/v1/customers?pageSize=200" },
  "POST /api/v1/customers": { ...plain(BOOKS), path: () => "/api/v1/customers", body: (_r, n) => customerBody(n) },
  "GET /api/v1/customers/[customerNo]": { ...one(BOOK_READERS), path: () => "/api/v1/customers/C1", params: () => ({ customerNo: "C1" }) },
  "POST /api/v1/loans": { ...one(BOOKS), path: () => "/api/v1/loans", body: (_r, n) => ({ contract_no: `MXL${n}`, customer_no: "C1", product: "p", principal: "1000", annual_rate: "0.05", term_months: 1, method: "bullet", disbursed_on: "2026-01-01" }) },
  "GET /api/v1/loans/[contractNo]": { ...one(BOOK_READERS), path: () => "/api/v1/loans/L1", params: () => ({ contractNo: "L1" }) },
  "POST /api/v1/repayments": { ...one(BOOKS), path: () => "/api/v1/repayments", body: (_r, n) => ({ contract_no: "L1", paid_on: "2026-02-15", amount: "1.00", external_id: `MX-${n}` }) },
  "GET /api/v1/notifications": { ...plain(STAFF), path: () => "/api/v1/notifications" },
  "POST /api/v1/notifications/read": { ...plain(STAFF), path: () => "/api/v1/notifications/read", body: () => ({ all: true }) },
  "GET /api/v1/openapi.json": { ...plain("public"), path: () => "/api/v1/openapi.json" },
  "GET /api/v1/tasks": { ...list(STAFF), path: () => "/api/v1/tasks?pageSize=200" },
  "GET /api/v1/tasks/board": { ...list(EDITORS), path: () => "/api/v1/tasks/board" },
  // The dashboard does not exist for other roles: 404, like its page.
  "GET /api/v1/dashboard": { ...list(EDITORS), refusedAs404: true, path: () => "/api/v1/dashboard" },
  // Telemetry, like the dashboard: supervisors (their branch) and admins; no such thing for other roles.
  "GET /api/v1/insights/rules": { ...list(EDITORS), refusedAs404: true, path: () => "/api/v1/insights/rules" },
  "GET /api/v1/insights/staff": { ...list(EDITORS), refusedAs404: true, path: () => "/api/v1/insights/staff" },
  "POST /api/v1/tasks/acknowledge": { ...list(WORKERS), path: () => "/api/v1/tasks/acknowledge", body: (r) => ({ ids: [r.taskId] }) },
  "GET /api/v1/tasks/[id]": { ...one(STAFF), path: (r) => `/api/v1/tasks/${r.taskId}`, params: (r) => ({ id: String(r.taskId) }) },
  "POST /api/v1/tasks/[id]/checklist": { ...one(WORKERS), path: (r) => `/api/v1/tasks/${r.taskId}/checklist`, params: (r) => ({ id: String(r.taskId) }), body: (r) => ({ itemKey: r.playbookItem, checked: true }) },
  "POST /api/v1/tasks/[id]/follow-ups": { ...one(WORKERS), path: (r) => `/api/v1/tasks/${r.taskId}/follow-ups`, params: (r) => ({ id: String(r.taskId) }), body: () => ({ type: "phone", notes: "matrix call" }) },
  "POST /api/v1/tasks/[id]/transitions": { ...one(WORKERS), path: (r) => `/api/v1/tasks/${r.taskId}/transitions`, params: (r) => ({ id: String(r.taskId) }), body: () => ({ action: "acknowledge", expectedVersion: 999 }) },
  "GET /api/v1/reports": { ...list(EDITORS), refusedAs404: true, path: () => "/api/v1/reports" },
  "POST /api/v1/reports": { ...one(EDITORS), refusedAs404: true, path: () => "/api/v1/reports", body: (r) => ({ branch: r.branchCode, period: "2026-05" }) },
  "GET /api/v1/reports/[id]": { ...one(EDITORS), refusedAs404: true, path: (r) => `/api/v1/reports/${r.reportId}`, params: (r) => ({ id: String(r.reportId) }) },
  "GET /api/v1/reports/[id]/export": { ...one(EDITORS), refusedAs404: true, path: (r) => `/api/v1/reports/${r.reportId}/export?format=xlsx`, params: (r) => ({ id: String(r.reportId) }) },
  "GET /api/v1/warnings": { ...list(STAFF), path: () => "/api/v1/warnings?pageSize=200" },
  "GET /api/v1/warnings/[id]": { ...one(STAFF), path: (r) => `/api/v1/warnings/${r.warningId}`, params: (r) => ({ id: String(r.warningId) }) },
};

const ACTIONS: Record<string, ActionRow | Skip> = {
  "components/auth/actions.ts signInWithPassword": { skip: "sign-in itself, public by design (Auth.js); throttling and refusals in test/auth-flow.int.test.ts and lib/auth/sessions.int.test.ts" },
  "components/auth/actions.ts signInWithSso": { skip: "as signInWithPassword; the identity binding in lib/users/sso tests" },
  "components/auth/actions.ts signOutAction": { skip: "ends the caller's own session only; test/auth-flow.int.test.ts" },
  "components/account/actions.ts changePasswordAction": { ...plain(STAFF), args: () => [{ current: "not-the-password", next: "another-long-password" }] },
  "components/branches/actions.ts createBranchAction": { ...plain(ADMIN), args: () => [{}] },
  // A valid dismissal: parsed before the scope is checked, so out-of-scope callers must reach the 404; the first
  // caller in scope dismisses the event, the next ones get a conflict (already decided), both "in".
  "components/churn/actions.ts decideChurnEventAction": { ...one(WORKERS), args: (r) => [{ id: r.churnEventId, decision: "dismiss", reason: "matrix" }] },
  "components/churn/actions.ts saveChurnParamsAction": { ...plain(ADMIN), args: () => [{ input: {} }] },
  "components/customers/actions.ts logContactAction": { ...one(WORKERS), args: (r, n) => [{ key: `matrix-contact-${n}`, input: { customerId: r.customerId, type: "phone", notes: "matrix call" } }] },
  "components/cob/actions.ts setCobTimeAction": { ...plain(ADMIN), args: () => ["not a time"] },
  "components/cob/actions.ts startCobAction": { ...plain(ADMIN), args: () => [] },
  "components/incentives/actions.ts proposeAdjustmentAction": { ...plain(HR_ADMIN), args: (_r, n) => [{ key: `matrix-adjustment-${n}`, input: { period: "2026-05", rm: "rm1", points: 1, reason: "matrix reason" } }] },
  "components/incentives/actions.ts approveAdjustmentAction": { ...plain(HR_ADMIN), args: (r) => [{ id: r.adjustmentId }] },
  "components/incentives/actions.ts rejectAdjustmentAction": { ...plain(HR_ADMIN), args: (r) => [{ id: r.adjustmentId, note: "matrix" }] },
  "components/incentives/actions.ts lockPeriodAction": { ...plain(HR_ADMIN), args: () => [{ period: "2026-04" }] },
  "components/incentives/actions.ts proposeSchemeAction": { ...plain(HR_ADMIN), args: (_r, n) => [{ key: `matrix-scheme-${n}`, input: { effectiveFrom: "2027-01", body: {} } }] },
  "components/incentives/actions.ts approveSchemeAction": { ...plain(HR_ADMIN), args: (r) => [{ versionId: r.schemeVersionId }] },
  "components/incentives/actions.ts rejectSchemeAction": { ...plain(HR_ADMIN), args: (r) => [{ versionId: r.schemeVersionId, note: "matrix" }] },
  "components/notifications/actions.ts markReadAction": { ...plain(STAFF), args: () => [{ all: true }] },
  "components/reference/actions.ts addRateAction": { ...plain(ADMIN), args: () => [{}] },
  "components/reference/actions.ts updateRateAction": { ...plain(ADMIN), args: (r) => [r.rateId, {}] },
  "components/reference/actions.ts deleteRateAction": { ...plain(ADMIN), args: (r) => [r.rateId] },
  "components/reference/actions.ts addWatchAction": { ...plain(ADMIN), args: () => [{}] },
  "components/reference/actions.ts updateWatchAction": { ...plain(ADMIN), args: (r) => [r.watchId, { reason: "" }] },
  "components/reference/actions.ts deleteWatchAction": { ...plain(ADMIN), args: (r) => [r.watchId] },
  "components/reports/actions.ts generateReportAction": { ...one(EDITORS), args: (r, n) => [{ key: `matrix-report-${n}`, input: { branch: r.branchCode, period: "2026-05" } }] },
  "components/reports/actions.ts saveMeasuresAction": { ...one(EDITORS), args: (r) => [{ reportId: r.reportId, items: [{ area: "custom", text: "matrix" }] }] },
  "components/reports/actions.ts finaliseReportAction": { ...one(EDITORS), args: (r) => [{ reportId: r.reportId }] },
  "components/rules/actions.ts createRuleAction": { ...plain(EDITORS), args: () => [{ code: "", input: {} }] },
  "components/rules/actions.ts proposeRuleAction": { ...plain(EDITORS), args: (r) => [{ ruleId: r.ruleId, input: {} }] },
  "components/rules/actions.ts approveRuleAction": { ...plain(EDITORS), args: (r) => [{ versionId: r.versionId }] },
  "components/rules/actions.ts rejectRuleAction": { ...plain(EDITORS), args: (r) => [{ versionId: r.versionId, note: "matrix" }] },
  "components/rules/actions.ts withdrawRuleAction": { ...plain(EDITORS), args: (r) => [{ versionId: r.versionId }] },
  "components/rules/actions.ts backtestRuleAction": { ...list(EDITORS), args: () => [{ subject: "loan", condition: { feature: "outstanding_principal", op: "ge", value: 0 } }] },
  "components/signals/actions.ts proposeLexiconAction": { ...plain(ADMIN), args: (_r, n) => [{ key: `matrix-lexicon-${n}`, input: { lexicon: {}, note: "matrix" } }] },
  "components/signals/actions.ts approveLexiconAction": { ...plain(ADMIN), args: (r) => [{ versionId: r.lexiconVersionId }] },
  "components/signals/actions.ts rejectLexiconAction": { ...plain(ADMIN), args: (r) => [{ versionId: r.lexiconVersionId, note: "matrix" }] },
  "components/signals/actions.ts tryLexiconAction": { ...plain(ADMIN), args: (r) => [{ text: "资金紧张", versionId: r.lexiconVersionId }] },
  // An invalid label: refused by the input check, past the guard (nothing is queued).
  "components/model/actions.ts trainModelAction": { ...plain(ADMIN), args: () => [{ label: "matrix" }] },
  // The admin trained it: maker-checker refuses, past the guard.
  "components/model/actions.ts activateModelAction": { ...plain(ADMIN), args: (r) => [r.modelVersionId] },
  "components/tasks/actions.ts acknowledgeTasksAction": { ...list(WORKERS), args: (r) => [{ ids: [r.taskId] }] },
  "components/tasks/actions.ts addFollowUpAction": { ...one(WORKERS), args: (r, n) => [{ key: `matrix-follow-up-${n}`, input: { taskId: r.taskId, type: "phone", notes: "matrix call" } }] },
  "components/tasks/actions.ts setChecklistItemAction": { ...one(WORKERS), args: (r) => [{ taskId: r.taskId, itemKey: r.playbookItem, checked: true }] },
  "components/tasks/actions.ts transitionTaskAction": { ...one(WORKERS), args: (r, n) => [{ key: `matrix-transition-${n}`, input: { taskId: r.taskId, action: "acknowledge", expectedVersion: 999 } }] },
  "components/tasks/settings/actions.ts saveSlaAction": { ...plain(ADMIN), args: () => [{}] },
  "components/tasks/settings/actions.ts saveOpenThresholdAction": { ...plain(ADMIN), args: () => [{}] },
  "components/tasks/settings/actions.ts saveCalendarDayAction": { ...plain(ADMIN), args: () => [{}] },
  "components/tasks/settings/actions.ts deleteCalendarDayAction": { ...plain(ADMIN), args: () => ["not a day"] },
  "components/users/actions.ts createUserAction": { ...plain(ADMIN), args: () => [{}] },
  "components/users/actions.ts setUserActiveAction": { ...plain(ADMIN), args: (r) => [{ userId: r.spareUserId, active: true }] },
  "components/users/actions.ts resetPasswordAction": { ...plain(ADMIN), args: (r) => [{ userId: r.spareUserId, password: "a-new-long-password" }] },
};

// ---- discovery ----
const ROOT = path.resolve(import.meta.dirname, "..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function walk(dir: string): string[] {
  return (readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: false }) as string[]).map((f) => path.join(dir, f).split(path.sep).join("/"));
}
/** The URL path of an app/ file: route groups dropped, the file name cut off. */
const urlOf = (file: string) => `/${path.dirname(file).split("/").slice(1).filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;
const pageFiles = () => walk("app").filter((f) => f.endsWith("/page.tsx"));
const routeFiles = () => walk("app").filter((f) => f.endsWith("/route.ts"));
/** Every module that declares 'use server' at its top: its exports are server actions the browser can call. */
const actionFiles = () =>
  ["app", "components", "lib"]
    .flatMap(walk)
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))
    .filter((f) => /^(\s*\/\/[^\n]*\n)*\s*["']use server["']/.test(readFileSync(path.join(ROOT, f), "utf8")));

async function discover(): Promise<{ pages: Map<string, string>; routes: Map<string, { file: string; method: string }>; actions: Map<string, { file: string; name: string }> }> {
  const pages = new Map(pageFiles().map((f) => [urlOf(f), f]));
  const routes = new Map<string, { file: string; method: string }>();
  for (const f of routeFiles()) {
    const mod = (await import(path.join(ROOT, f))) as Record<string, unknown>;
    for (const m of Object.keys(mod).filter((k) => HTTP_METHODS.includes(k))) routes.set(`${m} ${urlOf(f)}`, { file: f, method: m });
  }
  const actions = new Map<string, { file: string; name: string }>();
  for (const f of actionFiles()) {
    const mod = (await import(path.join(ROOT, f))) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) if (typeof v === "function") actions.set(`${f} ${name}`, { file: f, name });
  }
  return { pages, routes, actions };
}

// ---- running one call ----
/** "error": an unexpected failure (500, an action's internal error) — never what a row expects. */
type Outcome = "in" | "unauth" | "forbidden" | "notFound" | "error";
type Seen = { outcome: Outcome; detail: string; text: string };

function expected(row: Base, who: Caller): Outcome {
  if (row.allow === "public") return "in";
  if (who === "anonymous") return "unauth";
  if (!row.allow.includes(USER[who].role)) return row.refusedAs404 ? "notFound" : "forbidden";
  if (row.scoped === "one" && OUT_OF_SCOPE.includes(who)) return "notFound";
  return "in";
}

function fromStatus(status: number, location: string | null, text: string, guard404Body?: string): Outcome {
  if (status === 401 || (status >= 300 && status < 400 && location?.includes("/login"))) return "unauth";
  if (status === 403) return "forbidden";
  if (status === 404) return guard404Body === undefined || text === guard404Body ? "notFound" : "in";
  if (status === 500) return "error";
  return "in";
}

/** JSON of a page's element tree or an action's answer: functions (components) and cycles left out. */
function serialise(v: unknown): string {
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === "function" || typeof x === "symbol") return undefined;
      if (x && typeof x === "object") {
        if (seen.has(x)) return undefined;
        seen.add(x);
      }
      return x;
    }) ?? ""
  );
}

/** next/navigation's redirect() and notFound() throw errors whose digest says what they mean. */
function fromThrown(e: unknown): Seen {
  const digest = String((e as { digest?: unknown })?.digest ?? "");
  if (digest.startsWith("NEXT_REDIRECT")) return { outcome: digest.includes(";/login") ? "unauth" : "in", detail: digest, text: "" };
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return { outcome: "notFound", detail: digest, text: "" };
  throw e;
}

function fromAction(result: unknown): Seen {
  const text = serialise(result);
  const code = (result as { ok?: boolean; error?: { code?: string } })?.ok === false ? (result as { error: { code: string } }).error.code : null;
  const outcome: Outcome =
    code === "unauthenticated" ? "unauth" : code === "forbidden" ? "forbidden" : code === "notFound" ? "notFound" : code === "internal" ? "error" : "in";
  return { outcome, detail: code ?? "ok", text };
}

// ---- the environment ----
let t: TestDb;
let fx: TaskFixture;
let close: () => Promise<void>;
let res: Res;
let found: Awaited<ReturnType<typeof discover>>;
let seq = 0;

beforeAll(async () => {
  process.env.CHURNWATCH_TEST_HOOKS = "1";
  process.env.BACKTEST_RATE_PER_MINUTE = "100";
  let ids: Record<string, number>;
  ({ t, fx, ids, close } = await taskAppEnv());
  const q = async <T>(query: ReturnType<typeof sql>) => (await t.db.execute(query))[0] as T;
  const { customerId } = await q<{ customerId: number }>(sql`select id as "customerId" from customers where customer_no = 'C1'`);
  const { loanId } = await q<{ loanId: number }>(sql`select id as "loanId" from loans where contract_no = 'L1'`);
  const { warningId } = await q<{ warningId: number }>(sql`select id as "warningId" from warnings where customer_id = ${customerId} limit 1`);
  const { ruleId, versionId } = await q<{ ruleId: number; versionId: number }>(sql`select rule_id as "ruleId", id as "versionId" from rule_versions order by id limit 1`);
  const { importId } = await q<{ importId: number }>(sql`insert into imports (kind, file_name, file_bytes, status, user_id) values ('customers', 'm.csv', 1, 'rejected', ${fx.userIds.admin!}) returning id as "importId"`);
  const { rateId } = await q<{ rateId: number }>(sql`insert into reference_rates (kind, effective_on, rate) values ('lpr_1y', '2020-01-20', '0.041500') returning id as "rateId"`);
  const { watchId } = await q<{ watchId: number }>(sql`insert into industry_watchlist (industry_code, reason) values ('B06', 'matrix') returning id as "watchId"`);
  const { createUser } = await import("@/lib/users/service");
  const spareUserId = (await createUser(t.db, { kind: "system", name: "test" }, { username: "spare", displayName: "spare", role: "hr", password: "long-enough-pass" })).id;
  const { PLAYBOOKS } = await import("@/lib/tasks/playbooks");
  // A follow-up with a contact person and notes on C1's task: what HR must not see on the task's page or API.
  await t.db.execute(sql`insert into follow_ups (task_id, customer_id, author_id, type, contact_person, notes, occurred_at)
    values (${ids.C1!}, ${customerId}, ${fx.userIds.rm1!}, 'phone', '联系人甲', 'MATRIX-CONTACT-NOTE', now())`);
  // The built-in lexicon as active version 1: approving or rejecting it is a conflict (not pending), past the guard.
  const { ensureBuiltinLexicon } = await import("@/lib/signals/versions");
  await ensureBuiltinLexicon(t.db);
  const { lexiconVersionId } = await q<{ lexiconVersionId: number }>(sql`select id as "lexiconVersionId" from signal_lexicon_versions where status = 'active'`);
  // A detected churn event on C1's loan: what the churn list, page and decision rows are about.
  const { churnEventId } = await q<{ churnEventId: number }>(sql`insert into churn_events (subject_key, customer_id, loan_id, stage, kind, will,
    reason_inferred, effective_on, detected_on, source) values (${`loan:${loanId}`}, ${customerId}, ${loanId}, 'post_loan', 'prepaid_in_full', 'voluntary',
    true, '2026-06-01', '2026-06-01', 'detected') returning id::int as "churnEventId"`);
  // A generated churn report of C1's branch for June (it lists C1's event): the report rows are about it.
  const { branchCode } = await q<{ branchCode: string }>(sql`select b.code as "branchCode" from branches b join customers c on c.branch_id = b.id where c.id = ${customerId}`);
  const reports = await import("@/lib/reports/service");
  const { id: reportId } = await t.db.transaction((tx) => reports.requestReport(tx, { kind: "all", contact: true }, { kind: "system", name: "test" }, { branch: branchCode, period: "2026-06" }));
  await reports.generateReport(t.db, reportId, "2026-06-30");
  // An incentive ledger for rm1 on C1 in 2026-05, an adjustment proposed by the admin (HR approves or rejects it; the
  // admin meets maker-checker), and an open 2026-04 to lock. The built-in scheme is active (deciding it: a conflict).
  const { ensureBuiltinScheme } = await import("@/lib/incentives/versions");
  await ensureBuiltinScheme(t.db);
  const { schemeVersionId } = await q<{ schemeVersionId: number }>(sql`select id as "schemeVersionId" from incentive_scheme_versions where status = 'active'`);
  await t.db.execute(sql`insert into incentive_periods (period) values ('2026-04'), ('2026-05')`);
  await t.db.execute(sql`insert into incentive_ledger (source_key, rule, rm_id, period, event_on, scheme_version_id, points, status, task_id, customer_id)
    values (${`task:${ids.C1!}`}, 'first_contact', ${fx.userIds.rm1!}, '2026-05', '2026-05-03', ${schemeVersionId}, 2, 'payable', ${ids.C1!}, ${customerId})`);
  const { adjustmentId } = await q<{ adjustmentId: number }>(sql`insert into incentive_adjustments (period, rm_id, points, reason, proposed_by)
    values ('2026-05', ${fx.userIds.rm1!}, 3, 'matrix', ${fx.userIds.admin!}) returning id as "adjustmentId"`);
  // A trained model version (by the admin): what the model page, its routes and activation read.
  const { modelVersionId } = await q<{ modelVersionId: number }>(sql`insert into model_versions (version, status, label, horizon_days, months, seed, trained_by, progress)
    values (1, 'succeeded', 'any', 90, 12, 1, ${fx.userIds.admin!}, 100) returning id as "modelVersionId"`);
  res = { adjustmentId, schemeVersionId, customerId, churnEventId, loanId, taskId: ids.C1!, warningId, ruleId, versionId, importId, rateId, watchId, spareUserId, playbookItem: PLAYBOOKS.credit_risk[0]!.key, lexiconVersionId, reportId, branchCode, modelVersionId };
  found = await discover();
}, 120_000);
afterAll(() => close());

function as(who: Caller) {
  session.uid = who === "anonymous" ? null : fx.userIds[USER[who].name]!;
}

async function callRoute(key: string, row: RouteRow, who: Caller): Promise<Seen> {
  const { file, method } = found.routes.get(key)!;
  const mod = (await import(path.join(ROOT, file))) as Record<string, (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>>;
  as("anonymous"); // route handlers get the caller's bearer token, never a session
  const headers: Record<string, string> = { "idempotency-key": `matrix-${seq}-${Date.now()}` };
  if (who !== "anonymous") headers.authorization = `Bearer ${fx.tokens[USER[who].name]}`;
  const body = row.body?.(res, seq++);
  if (body !== undefined) headers["content-type"] = "application/json";
  const req = new Request(`http://app.test${row.path(res)}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const r = await mod[method]!(req, { params: Promise.resolve(row.params?.(res) ?? {}) });
  const text = await r.text();
  let outcome = fromStatus(r.status, r.headers.get("location"), text, row.guard404Body);
  // A JSON refusal names itself in the body as the status does (the API's error codes).
  const code = r.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined;
  const CODE: Partial<Record<Outcome, string>> = { unauth: "unauthenticated", forbidden: "forbidden", notFound: "notFound" };
  if (code !== undefined && CODE[outcome] !== undefined && code !== CODE[outcome]) outcome = "error";
  return { outcome, detail: `${r.status} ${text.slice(0, 200)}`, text };
}

async function callPage(url: string, row: PageRow, who: Caller): Promise<Seen> {
  const mod = (await import(path.join(ROOT, found.pages.get(url)!))) as { default: (p: { params: Promise<unknown>; searchParams: Promise<unknown> }) => Promise<unknown> };
  as(who);
  try {
    const element = await mod.default({ params: Promise.resolve(row.params?.(res) ?? {}), searchParams: Promise.resolve({}) });
    return { outcome: "in", detail: "rendered", text: serialise(element) };
  } catch (e) {
    return fromThrown(e);
  }
}

async function callAction(key: string, row: ActionRow, who: Caller): Promise<Seen> {
  const { file, name } = found.actions.get(key)!;
  const mod = (await import(path.join(ROOT, file))) as Record<string, (...a: unknown[]) => Promise<unknown>>;
  as(who);
  try {
    return fromAction(await mod[name]!(...row.args(res, seq++)));
  } catch (e) {
    return fromThrown(e);
  }
}

function check(row: Base, who: Caller, seen: Seen) {
  expect(`${who}: ${seen.outcome}`, seen.detail).toBe(`${who}: ${expected(row, who)}`);
  if (seen.outcome === "in" && row.scoped === "list" && OUT_OF_SCOPE.includes(who)) expect(seen.text, `${who} got C1 in a list`).not.toContain(C1_MARK);
  // Public answers hold no customer data (the OpenAPI document's examples include a made-up phone number).
  if (who === "hr" && row.allow !== "public") for (const c of CONTACT) expect(seen.text, "HR received contact data").not.toContain(c);
}

// Admin and the owner last: their writes (a follow-up, a deleted rate) must not change what the others see first.
const ORDER: readonly Caller[] = ["anonymous", "otherRm", "supOther", "hr", "integration", "supSame", "rmOwner", "admin"];

describe("authorisation matrix", () => {
  it("has a row for every page, route handler method and server action, and none for what is gone", () => {
    expect([...ORDER].sort()).toEqual([...CALLERS].sort());
    expect([...found.pages.keys()].sort()).toEqual(Object.keys(PAGES).sort());
    expect([...found.routes.keys()].sort()).toEqual(Object.keys(ROUTES).sort());
    expect([...found.actions.keys()].sort()).toEqual(Object.keys(ACTIONS).sort());
    // Discovery itself is not empty-handed (a broken walk would make the comparison above vacuous).
    expect(found.pages.size).toBeGreaterThan(20);
    expect(found.routes.size).toBeGreaterThan(30);
    expect(found.actions.size).toBeGreaterThan(25);
  });


  for (const [url, row] of Object.entries(PAGES)) {
    it(`page ${url}`, async () => {
      for (const who of ORDER) check(row, who, await callPage(url, row, who));
    });
  }
  for (const [key, row] of Object.entries(ROUTES)) {
    if ("skip" in row) continue;
    it(`route ${key}`, async () => {
      for (const who of ORDER) check(row, who, await callRoute(key, row, who));
    });
  }
  for (const [key, row] of Object.entries(ACTIONS)) {
    if ("skip" in row) continue;
    it(`action ${key}`, async () => {
      for (const who of ORDER) check(row, who, await callAction(key, row, who));
    });
  }
});
