// A supervisor steers escalated work: the test clock moves 40 days so tasks breach their SLA and escalate; the
// supervisor sees escalated tasks first on the board, reassigns one in place with a reason, and the new RM finds
// the "reassigned" notification in the bell and lands on the task. A supervisor of another branch gets 404.
//
// Seed 7 gives branch 1 only rm1 and rm2, and another spec works rm1's tasks in parallel: so this one plays in
// branch 2 (sup2 with rm3 and rm4), leaving rm1's inbox untouched, and uses sup1 as the other branch's supervisor.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

const DAY = 86_400_000;
let clockMoved = false;

/** Waits until React has hydrated the page: a click on server-rendered HTML before that does nothing. */
async function hydrated(page: Page): Promise<void> {
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

// The finally below resets the clock; if the test timed out first its request context is gone, so reset here.
test.afterAll(async ({ browser, baseURL }) => {
  if (!clockMoved) return;
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, "admin");
  expect((await page.request.delete("/api/test/clock", { headers: { origin: baseURL! } })).status()).toBe(200);
  await context.close();
});

test("escalated tasks come first on the board; a reassignment reaches the new RM's bell; other branches get 404", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const contexts: BrowserContext[] = [];
  const session = async (b: Browser, user: string): Promise<Page> => {
    const context = await b.newContext({ baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, user);
    return page;
  };
  const nameOf = async (page: Page) => (await page.getByTestId("current-user").innerText()).replace(/(客户经理|主管|管理员|人力)\s*$/, "").trim();

  const admin = await session(browser, "admin");
  // Cookie-authenticated writes must say they come from the app's own pages, as a browser's fetch does.
  const moved = await admin.request.post("/api/test/clock", { data: { advanceMs: 40 * DAY }, headers: { origin: baseURL! } });
  expect(moved.status(), await moved.text()).toBe(200);
  clockMoved = true;
  try {
    const rmA = await session(browser, "rm3");
    const rmB = await session(browser, "rm4");
    const names = { rm3: await nameOf(rmA), rm4: await nameOf(rmB) };

    // The board: the matrix shows escalations, the list puts escalated tasks first.
    const sup = await session(browser, "sup2");
    await sup.goto("/supervisor/tasks");
    await hydrated(sup);
    const matrix = sup.getByRole("table", { name: "按客户经理和状态统计的任务" });
    // The total row shows once two RMs have tasks; with one, that RM's row is the total.
    const escalatedCells = matrix.getByRole("button", { name: /：已升级 \d+ 项$/ });
    await expect(escalatedCells.first()).toBeVisible({ timeout: 30_000 });
    const escalatedTotal = (await escalatedCells.count()) > 1 ? matrix.getByRole("button", { name: /^合计：已升级 \d+ 项$/ }) : escalatedCells;
    await expect(escalatedTotal).toBeEnabled({ timeout: 30_000 });
    expect(Number((await escalatedTotal.innerText()).trim())).toBeGreaterThan(0);
    const list = sup.getByRole("table", { name: "任务列表" });
    await expect(list.getByRole("row").nth(1)).toContainText("已升级");

    // Narrow the list to one RM's escalated tasks by clicking the matrix cell, then reassign the first to the other.
    type Rm = keyof typeof names;
    const cellOf = (rm: Rm) => matrix.getByRole("button", { name: new RegExp(`^${names[rm]}：已升级 \\d+ 项$`) });
    let [from, to]: [Rm, Rm] = ["rm3", "rm4"];
    if (!(await cellOf(from).isEnabled())) [from, to] = [to, from];
    await cellOf(from).click();
    await expect(sup.getByText(`筛选：${names[from]} · 已升级`)).toBeVisible();
    const row = list.getByRole("row").nth(1);
    await expect(row).toContainText(names[from]);
    await expect(row).toContainText("已升级");
    const link = row.getByRole("link").first();
    const customer = (await link.innerText()).trim();
    const href = (await link.getAttribute("href"))!;
    expect(href).toMatch(/^\/tasks\/\d+$/);
    const taskId = href.split("/").pop()!;

    await row.getByRole("button", { name: `改派 ${customer} 的任务` }).click();
    const dialog = sup.getByRole("dialog", { name: `改派任务：${customer}` });
    await dialog.getByRole("combobox", { name: "改派给" }).click();
    // antd renders its own option list (the role="option" nodes are screen-reader copies).
    await sup.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: new RegExp(`^${names[to]}（在办 \\d+ 项）$`) }).click();
    await dialog.getByLabel("改派原因").fill("原客户经理外出培训，客户需尽快联系");
    await dialog.getByRole("button", { name: "确认改派" }).click();
    await expect(sup.getByText(`已改派给 ${names[to]}`)).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toBeHidden();
    const after = await sup.request.get(`/api/v1/tasks/${taskId}`);
    expect(after.status()).toBe(200);
    expect(((await after.json()) as { task: { assigneeName: string; escalated: boolean } }).task).toMatchObject({ assigneeName: names[to], escalated: true });

    // The new RM: the bell counts unread notifications; the newest says the task was reassigned to them.
    const rm = to === "rm3" ? rmA : rmB;
    await rm.reload();
    await hydrated(rm);
    const bell = rm.getByRole("button", { name: /^通知（\d+ 条未读）$/ });
    await expect(bell).toBeVisible({ timeout: 30_000 });
    await bell.click();
    const latest = rm.getByRole("list", { name: "最新通知列表" });
    const note = latest.getByRole("link", { name: new RegExp(`${customer} 的任务已改派给您`) });
    await expect(note).toBeVisible({ timeout: 20_000 });
    await expect(note).toHaveAttribute("href", href);
    await note.click();
    // The task page renders on the server before the URL changes: give it time on a busy machine.
    await expect(rm).toHaveURL(new RegExp(`${href}$`), { timeout: 30_000 });
    // Opening it marked it read.
    await expect
      .poll(async () => {
        const r = await rm.request.get("/api/v1/notifications?unread=true&pageSize=100");
        const body = (await r.json()) as { rows: { taskId: number; kind: string }[] };
        return body.rows.some((n) => n.taskId === Number(taskId) && n.kind === "reassigned");
      })
      .toBe(false);

    // A supervisor of another branch: the page and the API both answer 404.
    const other = await session(browser, "sup1");
    const page404 = await other.goto(href);
    expect(page404?.status()).toBe(404);
    const api404 = await other.request.get(`/api/v1/tasks/${taskId}`);
    expect(api404.status()).toBe(404);
  } finally {
    const reset = await admin.request.delete("/api/test/clock", { headers: { origin: baseURL! } });
    expect(reset.status()).toBe(200);
    clockMoved = false;
    for (const c of contexts) await c.close();
  }
});

test("an admin edits the SLA policy with inline validation and maintains the business calendar", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/tasks-settings");
  await hydrated(page);
  // First contact later than resolution is refused on the spot; nothing is saved.
  const contact = page.getByRole("spinbutton", { name: "严重优先级的首次联系时限" });
  await contact.fill("9");
  await page.getByRole("button", { name: "保存时限策略" }).click();
  await expect(page.getByText("首次联系时限不能晚于处置时限")).toBeVisible();
  await contact.fill("1");
  await expect(page.getByText("首次联系时限不能晚于处置时限")).toBeHidden();

  // A holiday far from any running clock: added, listed under its year, deleted.
  await page.getByRole("button", { name: "添加日期" }).click();
  const dialog = page.getByRole("dialog", { name: "添加日期" });
  const day = dialog.getByPlaceholder("请选择日期");
  await day.fill("2028-03-01");
  await day.press("Enter");
  await dialog.getByLabel("名称").fill("测试假日");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存 2028-03-01")).toBeVisible();
  const table = page.getByRole("table", { name: "2028 年的节假日和调休" });
  await expect(table.getByRole("row", { name: /2028-03-01.*星期三.*节假日（不营业）.*测试假日/ })).toBeVisible();
  await table.getByRole("button", { name: "删除 2028-03-01" }).click();
  await page.getByRole("tooltip").getByRole("button", { name: "删除" }).click();
  await expect(page.getByText("已删除 2028-03-01")).toBeVisible();
  await expect(table.getByRole("row", { name: /2028-03-01/ })).toHaveCount(0);

  // The severity that opens a task: shown as saved (中 by default) and saved again as it is — other specs running
  // beside this one open tasks from warnings, so the value itself is changed only in the server-action test.
  const threshold = page.getByRole("form", { name: "预警生成任务的门槛" });
  await expect(threshold.getByRole("combobox", { name: "生成任务的最低严重程度" })).toBeVisible();
  // The form's own words hold no 中: it is the selected value.
  await expect(threshold).toContainText("中");
  await threshold.getByRole("button", { name: "保存门槛" }).click();
  await expect(page.getByText("门槛已保存")).toBeVisible();
});
