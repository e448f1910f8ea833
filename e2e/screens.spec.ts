// Screenshots of every page in both languages, for people to look at (test-results/screens), and a check that no
// page scrolls sideways at a laptop width or shows a raw message key.
import { expect, firstCustomerHref, signIn, test } from "./fixtures";

const PAGES: Record<string, string[]> = {
  rm1: ["/rm", "/customers", "CUSTOMER", "/churn"],
  sup1: ["/supervisor", "/churn"],
  hr1: ["/hr", "/churn", "CUSTOMER"],
  admin: ["/admin", "/admin/users", "/admin/branches", "/admin/churn-settings"],
};

for (const locale of ["zh-CN", "en"] as const) {
  for (const [user, paths] of Object.entries(PAGES)) {
    test(`${user} pages render cleanly in ${locale}`, async ({ page, context }) => {
      // A sign-in and four pages with full-page screenshots: 45–62 s when two browsers share the 2 cores.
      test.setTimeout(120_000);
      await page.setViewportSize({ width: 1366, height: 800 });
      await signIn(page, user);
      await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
      for (const p of paths) {
        const path = p === "CUSTOMER" ? await firstCustomerHref(page) : p;
        const res = await page.goto(path);
        expect(res?.status(), path).toBe(200);
        await page.waitForLoadState("networkidle");
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
        // next-intl renders a missing message as its dotted key.
        await expect(page.locator("body")).not.toContainText(/\b[a-z]+[A-Z]?\w*\.[a-z]+\w*\.[a-z]\w*\b/);
        const name = `${user}${path.replace(/\//g, "_")}-${locale}.png`;
        await page.screenshot({ path: `test-results/screens/${name}`, fullPage: true });
      }
    });
  }
}

// The task board, the notification centre (with the bell's popover open) and the task settings, both languages.
const TASK_PAGES: Record<string, string[]> = {
  sup1: ["/supervisor/tasks", "/notifications"],
  admin: ["/supervisor/tasks", "/admin/tasks-settings"],
  rm2: ["/notifications"],
};

for (const locale of ["zh-CN", "en"] as const) {
  for (const [user, paths] of Object.entries(TASK_PAGES)) {
    test(`${user} task screens render cleanly in ${locale}`, async ({ page, context }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signIn(page, user);
      await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
      for (const path of paths) {
        const res = await page.goto(path);
        expect(res?.status(), path).toBe(200);
        await page.waitForLoadState("networkidle");
        // Clicking before React hydrated the page would do nothing.
        await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
        await page.getByTestId("notification-bell").click();
        await expect(page.getByRole("link", { name: locale === "en" ? "View all notifications" : "查看全部通知" })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
        await expect(page.locator("body")).not.toContainText(/\b[a-z]+[A-Z]?\w*\.[a-z]+\w*\.[a-z]\w*\b/);
        await page.screenshot({ path: `test-results/screens/${user}${path.replace(/\//g, "_")}-${locale}.png`, fullPage: true });
      }
    });
  }
}
