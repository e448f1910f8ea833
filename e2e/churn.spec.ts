import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

type Row = { id: number; customerName: string; kind: string; status: string; reasonFamily: string | null; reasonInferred: boolean; decidedByName: string | null };

/** Waits until React has hydrated the page: a click on server-rendered HTML before that does nothing. */
async function hydrated(page: Page): Promise<void> {
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

// The demo load detects the churn events its data shows (docs/churn.md); a supervisor confirms one of their branch's.
test("a supervisor confirms a detected churn event with a reason family", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "sup1");
  const res = await page.request.get("/api/v1/churn-events?status=detected&pageSize=1");
  expect(res.status()).toBe(200);
  const first = ((await res.json()) as { rows: Row[] }).rows[0];
  expect(first, "the demo has a detected churn event in sup1's branch").toBeDefined();

  await page.goto("/churn");
  await expect(page.getByRole("heading", { name: "流失事件" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("combobox", { name: "状态", exact: true }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: /^待确认/ }).click();

  const button = page.getByRole("button", { name: new RegExp(`^处理${first!.customerName}的`) }).first();
  await expect(button).toBeVisible({ timeout: 20_000 });
  await button.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(first!.customerName);
  await dialog.getByRole("combobox", { name: "原因类别" }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: /^资金链$/ }).click();
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("流失事件已确认")).toBeVisible({ timeout: 20_000 });
  await expect(dialog).toBeHidden();

  const after = await page.request.get(`/api/v1/churn-events?status=confirmed&pageSize=200`);
  const confirmed = ((await after.json()) as { rows: Row[] }).rows.find((r) => r.id === first!.id);
  expect(confirmed).toMatchObject({ status: "confirmed", reasonFamily: "funding_chain", reasonInferred: false, decidedByName: expect.any(String) });
});
