// Every page, as every role, in both languages: no page error, no console error (a hydration mismatch or a CSP
// violation is one), no failed request, no 5xx and nothing fetched from another origin (the fixture fails the test
// on any of these), and each page answers what its guard says: 200 for the roles it serves, the not-found page (404)
// for the others. The pages are discovered from app/**/page.tsx; a new page without a row in ACCESS fails here.
// Screenshots land in test-results/sweep/ for people to look at.
import { readdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { expect, signIn, test } from "./fixtures";

type Role = "rm" | "supervisor" | "hr" | "admin";
const ANY: Role[] = ["rm", "supervisor", "hr", "admin"];
const USERS: Record<Role, string> = { rm: "rm1", supervisor: "sup1", hr: "hr1", admin: "admin" };

// Who may open each page (the roles of its guardPage call). "/" sends each role to its home.
const ACCESS: Record<string, Role[]> = {
  "/": ANY,
  "/account": ANY,
  "/admin": ["admin"],
  "/admin/branches": ["admin"],
  "/admin/churn-settings": ["admin"],
  "/admin/cob": ["admin", "supervisor"],
  "/admin/imports": ["admin"],
  "/admin/reference": ["admin"],
  "/admin/rules": ["admin", "supervisor"],
  "/admin/rules/[id]": ["admin", "supervisor"],
  "/admin/signals": ["admin"],
  "/admin/model": ["admin", "supervisor"],
  "/admin/tasks-settings": ["admin"],
  "/admin/users": ["admin"],
  "/churn": ANY,
  "/applications": ANY,
  "/customers": ANY,
  "/customers/[id]": ANY,
  "/hr": ["hr"],
  "/hr/staff": ["hr"],
  "/incentives": ["supervisor", "admin", "hr"],
  "/incentives/[period]": ["hr", "admin", "supervisor"],
  "/incentives/scheme": ["hr", "admin"],
  "/insights": ["supervisor", "admin"],
  "/loans/[id]": ANY,
  "/notifications": ANY,
  "/reports": ["supervisor", "admin"],
  "/reports/[id]": ["supervisor", "admin"],
  "/reports/[id]/print": ["supervisor", "admin"],
  "/rm": ["rm"],
  "/rm/score": ["rm"],
  "/supervisor": ["supervisor", "admin"],
  "/supervisor/tasks": ["supervisor", "admin"],
  "/tasks/[id]": ANY,
  "/warnings": ANY,
  "/warnings/[id]": ANY,
  // Signed out only: visited by its own test below.
  "/login": [],
};
// Served by a route handler, not a page.tsx, but a page all the same.
const EXTRA: Record<string, Role[]> = { "/admin/queues": ["admin"] };

/** Routes of app/**\/page.tsx: route groups "(x)" dropped, dynamic segments kept as "[id]". */
function discoverPages(): string[] {
  const root = path.resolve("app");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "page.tsx");
  return files
    .map((f) => "/" + path.dirname(f).split(path.sep).filter((s) => s !== "." && !/^\(.*\)$/.test(s)).join("/"))
    .sort();
}

type Ids = Record<string, string>;

// Ids in rm1's own scope (rm1 works in sup1's branch), so every role that may open a dynamic page can open these.
async function realIds(): Promise<Ids> {
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ customer: number; loan: number; task: number; warning: number; rule: number; report: number; period: string }[]>`
      with rm as (select id from users where username = 'rm1'),
      task as (
        select t.id, t.customer_id from tasks t
        where t.assignee_id = (select id from rm) and t.customer_id in (select id from customers where rm_id = (select id from rm))
        order by (select count(*) from follow_ups f where f.task_id = t.id) desc, t.id limit 1)
      select (select customer_id from task) as customer,
             (select l.id from loans l where l.customer_id = (select customer_id from task) order by l.id limit 1) as loan,
             (select id from task) as task,
             (select w.id from warnings w join customers c on c.id = w.customer_id where c.rm_id = (select id from rm) order by w.id limit 1) as warning,
             (select id from rules order by id limit 1) as rule,
             (select r.id from reports r where r.branch_id = (select branch_id from users where username = 'sup1') and r.status = 'ready' order by r.id limit 1) as report,
             (select period from incentive_periods order by period desc limit 1) as period`;
    if (!row) throw new Error("no ids");
    for (const [k, v] of Object.entries(row)) if (v == null) throw new Error(`the e2e data has no ${k} in rm1's scope`);
    return { "/customers/[id]": String(row.customer), "/loans/[id]": String(row.loan), "/tasks/[id]": String(row.task), "/warnings/[id]": String(row.warning), "/admin/rules/[id]": String(row.rule), "/reports/[id]": String(row.report), "/reports/[id]/print": String(row.report), "/incentives/[period]": row.period };
  } finally {
    await sql.end();
  }
}

test("every page under app/ has a row in the sweep's access table", () => {
  const pages = discoverPages();
  expect(pages.length).toBeGreaterThan(15);
  expect(pages.filter((p) => !(p in ACCESS)), "pages the sweep does not know: add them to ACCESS").toEqual([]);
  expect(Object.keys(ACCESS).filter((p) => !pages.includes(p)), "ACCESS rows without a page").toEqual([]);
});

for (const locale of ["zh-CN", "en"] as const) {
  test(`signed out, the sign-in page is clean in ${locale}`, async ({ page, context }) => {
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: test.info().project.use.baseURL! }]);
    const res = await page.goto("/login");
    expect(res?.status()).toBe(200);
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: `test-results/sweep/anonymous_login-${locale}.png` });
  });

  for (const role of ANY) {
    test(`every page as ${role} in ${locale}`, async ({ page, context }) => {
      test.setTimeout(300_000);
      const ids = await realIds();
      await page.setViewportSize({ width: 1366, height: 800 });
      await signIn(page, USERS[role]);
      await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
      const routes = { ...ACCESS, ...EXTRA };
      for (const route of [...discoverPages(), ...Object.keys(EXTRA)]) {
        if (route === "/login") continue;
        const url = route.replace(/\[(id|period)\]/, () => ids[route] ?? "0");
        const allowed = routes[route]!.includes(role);
        await test.step(`${url} (${allowed ? "allowed" : "not for " + role})`, async () => {
          const res = await page.goto(url);
          expect(res?.status(), `${role} ${url}`).toBe(allowed ? 200 : 404);
          await page.waitForLoadState("networkidle");
          if (allowed && route === "/reports/[id]/print") await expect(page.getByTestId("report-print")).toBeVisible();
          else if (allowed && route !== "/admin/queues") {
            // Hydrated: a mismatch would have been logged by now.
            await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
          }
          if (allowed && route === "/admin/queues") await expect(page.getByText("churnwatch").first()).toBeVisible();
          const name = `${role}${url.replace(/\//g, "_") || "_"}-${locale}.png`;
          await page.screenshot({ path: `test-results/sweep/${name}` });
        });
      }
    });
  }
}
