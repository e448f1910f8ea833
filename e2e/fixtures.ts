import { expect, type Page } from "@playwright/test";

export const PASSWORD = "demo-pass-2026";

// Demo users of the seeded e2e database (npm run seed -- --customers 320 --seed 7; as-of today, the business date).
// 320 customers: still the same 8 RMs (one per 40, two per branch at least) as 120 gave, and since only warnings of
// medium severity or more open a task (about one customer in eight), enough tasks for every RM of every branch.
export const HOMES = {
  admin: { path: "/admin", roleZh: "管理员" },
  hr1: { path: "/hr", roleZh: "人力" },
  sup1: { path: "/supervisor", roleZh: "主管" },
  rm1: { path: "/rm", roleZh: "客户经理" },
} as const;

export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A customer id owned by `username`, read from the list as that user sees it. */
export async function firstCustomerHref(page: Page): Promise<string> {
  await page.goto("/customers");
  const link = page.locator('a[href^="/customers/"]').first();
  await expect(link).toBeVisible();
  return (await link.getAttribute("href"))!;
}
