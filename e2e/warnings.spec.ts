import { type Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

type Row = { id: number; customerId: number };

async function allWarnings(page: Page): Promise<{ rows: Row[]; total: number }> {
  const res = await page.request.get("/api/v1/warnings?pageSize=200");
  expect(res.status()).toBe(200);
  return (await res.json()) as { rows: Row[]; total: number };
}

// One test: the warnings checks need the run's results, and the run is started through the UI.
test("an admin runs the COB from the UI; rm1 then sees only warnings on their own customers", async ({ browser }) => {
  test.setTimeout(150_000);
  const admin = await browser.newPage();
  await signIn(admin, "admin");
  await admin.goto("/admin/cob");
  await expect(admin.getByRole("heading", { name: "日终批处理" })).toBeVisible();
  await admin.getByRole("button", { name: "立即运行" }).click();
  const toast = admin.getByText(/(已启动批处理|该日期的批处理) #\d+/);
  await expect(toast).toBeVisible();
  const runId = /#(\d+)/.exec((await toast.textContent())!)![1];
  await expect(admin.getByText(/分区 \d+\/\d+/).first()).toBeVisible();
  await expect(admin.getByTestId(`cob-status-${runId}`)).toHaveText("已完成", { timeout: 60_000 });

  const adminList = await allWarnings(admin);
  expect(adminList.total).toBeGreaterThan(0);

  const rm1 = await browser.newPage();
  await signIn(rm1, "rm1");
  await rm1.goto("/warnings");
  await expect(rm1.getByRole("heading", { name: "预警" })).toBeVisible();
  await expect(rm1.locator(".ant-table-row").first().or(rm1.getByText("暂无预警", { exact: false }))).toBeVisible();
  const hrefs = await rm1.getByTestId("warning-customer").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  for (const href of new Set(hrefs)) {
    expect((await rm1.request.get(href)).status(), href).toBe(200);
  }

  const rmList = await allWarnings(rm1);
  expect(adminList.total).toBeGreaterThanOrEqual(rmList.total);
  const own = await rm1.request.get("/api/v1/customers?pageSize=200");
  const ownIds = new Set(((await own.json()) as { rows: { id: number }[] }).rows.map((c) => c.id));
  for (const w of rmList.rows) expect(ownIds.has(w.customerId)).toBe(true);

  const foreign = adminList.rows.find((w) => !ownIds.has(w.customerId));
  expect(foreign, "some warning is on another RM's customer").toBeDefined();
  const res = await rm1.goto(`/warnings/${foreign!.id}`);
  expect(res?.status()).toBe(404);
  expect((await rm1.request.get(`/api/v1/warnings/${foreign!.id}`)).status()).toBe(404);
  if (rmList.rows[0]) {
    const mine = await rm1.goto(`/warnings/${rmList.rows[0].id}`);
    expect(mine?.status()).toBe(200);
    await expect(rm1.getByText("证据", { exact: true })).toBeVisible();
  }
  await rm1.close();
  await admin.close();
});
