// The supervisor dashboard: a supervisor lands on it, drills from "overdue" into the board's overdue tasks (the
// list counts what the tile said), from a churn figure into the churn list and from the funnel into the applications
// list, an RM gets 404; screenshots in both languages for people to look at.
// The clock moves 40 days so the seeded tasks are past their SLA; it is reset afterwards. Played as sup3 (branch 3),
// whose tasks no other spec works, so its overdue count stays still while this spec reads it.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

const DAY = 86_400_000;
let clockMoved = false;

async function hydrated(page: Page): Promise<void> {
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

test.afterAll(async ({ browser, baseURL }) => {
  if (!clockMoved) return;
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, "admin");
  expect((await page.request.delete("/api/test/clock", { headers: { origin: baseURL! } })).status()).toBe(200);
  await context.close();
});

test("a supervisor opens the dashboard and drills into overdue tasks", async ({ browser, baseURL }) => {
  test.setTimeout(420_000);
  const adminCtx = await browser.newContext({ baseURL });
  const admin = await adminCtx.newPage();
  await signIn(admin, "admin");
  const moved = await admin.request.post("/api/test/clock", { data: { advanceMs: 40 * DAY }, headers: { origin: baseURL! } });
  expect(moved.status(), await moved.text()).toBe(200);
  clockMoved = true;

  const ctx = await browser.newContext({ baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const sup = await ctx.newPage();
  await sup.setViewportSize({ width: 1440, height: 900 });
  await signIn(sup, "sup3");
  // The dashboard is the supervisor's home.
  await expect(sup).toHaveURL(/\/supervisor$/);
  await expect(sup.getByTestId("dashboard")).toBeVisible();
  await hydrated(sup);
  const tile = sup.getByTestId("stat-overdue");
  const overdue = Number((await tile.locator(".ant-statistic-content-value").innerText()).replace(/,/g, ""));
  expect(overdue).toBeGreaterThan(0);

  await tile.getByRole("link").click();
  await expect(sup).toHaveURL(/\/supervisor\/tasks\?state=overdue$/);
  await hydrated(sup);
  await expect(sup.getByText("筛选：合计 · 已超时")).toBeVisible();
  const list = sup.getByRole("table", { name: "任务列表" });
  await expect(list.getByRole("row").nth(1)).toBeVisible();
  await expect(sup.getByText(`共 ${overdue.toLocaleString("en-US")} 条`)).toBeVisible();

  // The outcome chart and the tiles go to the board; the five-category customers go to the customers list.
  await sup.goto("/supervisor");
  await hydrated(sup);
  const customersLink = sup.getByRole("table", { name: "各五级分类的贷款笔数、客户数和余额" }).getByRole("link").first();
  const shown = (await customersLink.innerText()).trim();
  await customersLink.click();
  await expect(sup).toHaveURL(/\/customers\?classification=/);
  await expect(sup.getByText(`共 ${shown} 条`)).toBeVisible();

  // A churn figure: this calendar year's not-dismissed events open the churn list with as many rows.
  const year = new Date().getUTCFullYear();
  await sup.goto(`/supervisor?period=${year}`);
  await hydrated(sup);
  const churnTile = sup.getByTestId("stat-churnEvents");
  const events = Number((await churnTile.locator(".ant-statistic-content-value").innerText()).replace(/,/g, ""));
  expect(events).toBeGreaterThan(0);
  await churnTile.getByRole("link").click();
  await expect(sup).toHaveURL(new RegExp(`/churn\\?status=standing&from=${year}-01-01&to=${year}-12-31$`));
  await hydrated(sup);
  await expect(sup.getByText(`共 ${events.toLocaleString("en-US")} 条`)).toBeVisible();
  // A breakdown: the stage table's first linked count opens the list narrowed to that stage.
  await sup.goto(`/supervisor?period=${year}`);
  await hydrated(sup);
  const stageLink = sup.locator('a[href^="/churn?status=standing"][href*="stage="]').first();
  await stageLink.click();
  await expect(sup).toHaveURL(/\/churn\?status=standing&from=.*&(stage|will)=/);
  await hydrated(sup);
  await expect(sup.getByRole("table").getByRole("row").nth(1)).toBeVisible();

  // The funnel's "applied" opens the applications list with as many applications.
  await sup.goto(`/supervisor?period=${year}`);
  await hydrated(sup);
  const applied = sup.getByTestId("funnel-applied");
  const appliedN = Number(/(\d[\d,]*) 笔/.exec(await applied.innerText())![1]!.replace(/,/g, ""));
  await applied.click();
  await expect(sup).toHaveURL(/\/applications\?step=applied&submittedFrom=/);
  await hydrated(sup);
  await expect(sup.getByTestId("applications-total")).toHaveText(`共 ${appliedN} 笔申请`);

  // Screenshots, both languages: no sideways scroll, no raw message key.
  for (const locale of ["zh-CN", "en"] as const) {
    for (const [who, page] of [["sup3", sup], ["admin", admin]] as const) {
      await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);
      await page.setViewportSize({ width: 1440, height: 900 });
      expect((await page.goto("/supervisor"))?.status()).toBe(200);
      await page.waitForLoadState("networkidle");
      await expect(page.getByTestId("dashboard")).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, "the dashboard scrolls sideways").toBeLessThanOrEqual(0);
      await expect(page.locator("body")).not.toContainText(/\b[a-z]+[A-Z]?\w*\.[a-z]+\w*\.[a-z]\w*\b/);
      await page.screenshot({ path: `test-results/screens/dashboard-${who}-${locale}.png`, fullPage: true });
    }
    // The year's view (the churn charts have data), and the two drill-down lists.
    for (const path of [`/supervisor?period=${year}`, `/churn?status=standing&from=${year}-01-01&to=${year}-12-31`, `/applications?step=applied`]) {
      expect((await sup.goto(path))?.status()).toBe(200);
      await sup.waitForLoadState("networkidle");
      const overflow = await sup.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
      await expect(sup.locator("body")).not.toContainText(/\b[a-z]+[A-Z]?\w*\.[a-z]+\w*\.[a-z]\w*\b/);
      const name = path.split("?")[0]!.slice(1).replace(/\//g, "-");
      await sup.screenshot({ path: `test-results/screens/dashboard-drill-${name}-${locale}.png`, fullPage: true });
    }
  }
  await ctx.close();
  await adminCtx.close();
});

test("an RM has no dashboard: 404 on the page and the API", async ({ page }) => {
  await signIn(page, "rm1");
  expect((await page.goto("/supervisor"))?.status()).toBe(404);
  expect((await page.request.get("/api/v1/dashboard")).status()).toBe(404);
});
