import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test.describe.configure({ mode: "serial" });

test("an admin trains a model and watches its progress; a second admin activates it; a task page shows the score band and reasons", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signIn(page, "admin");
  await page.getByRole("menu", { name: "主菜单" }).getByRole("link", { name: "流失模型" }).click();
  await expect(page).toHaveURL(/\/admin\/model$/);
  await page.getByRole("button", { name: "开始训练" }).click();
  const started = page.getByText(/^v\d+ 已开始训练$/);
  await expect(started).toBeVisible();
  const version = /v(\d+)/.exec((await started.textContent()) ?? "")![1]!;
  const status = page.getByTestId(`model-status-${version}`);
  // The run shows while it trains (queued or running, with its progress bar), then succeeds.
  await expect(status).toHaveText(/排队中|运行中|已完成/);
  const seen = await status.textContent();
  if (seen !== "已完成") await expect(page.getByTestId(`model-progress-${version}`)).toBeVisible();
  await expect(status).toHaveText("已完成", { timeout: 180_000 });
  await expect(page.getByTestId("model-metrics")).toContainText("AUC");
  await expect(page.getByText("评分卡（逐箱）")).toBeVisible();
  // Maker-checker: the trainer's activate button is disabled.
  await expect(page.getByTestId(`model-activate-${version}`)).toBeDisabled();

  const checker = await browser.newPage();
  await signIn(checker, "admin2");
  await checker.goto("/admin/model");
  await checker.getByTestId(`model-activate-${version}`).click();
  await expect(checker.getByText("已启用该版本，正在为全部贷款重新评分")).toBeVisible();
  await expect(checker.getByTestId(`model-active-${version}`)).toBeVisible();
  await checker.close();

  // Activation scores the portfolio at once: a post-loan task's customer then has a score, band and reasons.
  const tasks = (await (await page.request.get("/api/v1/tasks?status=active&pageSize=50")).json()) as { rows: { id: number; stage: string }[] };
  const candidates = tasks.rows.filter((r) => r.stage === "post_loan").slice(0, 8);
  expect(candidates.length).toBeGreaterThan(0);
  let shown = false;
  for (let attempt = 0; attempt < 30 && !shown; attempt++) {
    for (const task of candidates) {
      await page.goto(`/tasks/${task.id}`);
      if ((await page.getByTestId("risk-band").count()) > 0) {
        shown = true;
        break;
      }
    }
    if (!shown) await page.waitForTimeout(2_000);
  }
  expect(shown).toBe(true);
  const card = page.getByTestId("risk-card");
  await expect(card.getByTestId("risk-band")).toHaveText(/^(低|中|高)$/);
  await expect(card.getByTestId("risk-score")).toHaveText(/^-?\d+ 分$/);
  const reasons = card.getByTestId("risk-reason");
  expect(await reasons.count()).toBeGreaterThan(0);
  await expect(reasons.first()).toContainText("：");
  await page.screenshot({ path: "test-results/screens/task_risk-zh-CN.png", fullPage: true });
  const taskUrl = page.url();

  for (const locale of ["zh-CN", "en"] as const) {
    // The origin, not the task's URL: a cookie set for /tasks/… would not reach /admin/model.
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: new URL(page.url()).origin }]);
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto("/admin/model");
    await expect(page.getByTestId(`model-active-${version}`)).toBeVisible();
    await expect(page.getByTestId("model-metrics")).toBeVisible();
    await expect(page.locator("body")).not.toContainText(/\bmodel\.\w+/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screens/admin_model-${locale}.png`, fullPage: true });
    await page.goto(taskUrl);
    await expect(page.getByTestId("risk-card")).toBeVisible();
    await expect(page.locator("body")).not.toContainText(/\bmodel\.\w+/);
    await page.getByTestId("risk-card").screenshot({ path: `test-results/screens/task_risk_card-${locale}.png` });
  }
});
