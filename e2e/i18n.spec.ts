import { expect, test } from "./fixtures";

test("the language switch turns the sign-in page and the app into English and back", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
  await page.getByText("English", { exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Username").fill("sup1");
  await page.getByLabel("Password").fill("demo-pass-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/supervisor$/);
  await expect(page.getByTestId("current-user")).toContainText("Supervisor");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.getByText("中文", { exact: true }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
});

test("English stays chosen across pages and sign-ins (cookie)", async ({ page, context }) => {
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://127.0.0.1" }]);
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("demo-pass-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText("Administrator");
  await page.goto("/customers");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});
