// The loan page: reached from the customer page, showing state, schedule and the DPD / classification history;
// another RM's loan is 404.
import { type Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

/** The first loan link of the signed-in user's first customer in a list (by default: the largest active principal,
 * so it has loans). */
async function ownLoanHref(page: Page, list = "/customers?sort=outstanding&order=desc"): Promise<{ customerHref: string; loanHref: string; contractNo: string }> {
  await page.goto(list);
  const customer = page.locator('a[href^="/customers/"]').first();
  // The list is fetched once the page has hydrated: seconds after its load event when two browsers share 2 cores.
  await expect(customer).toBeVisible({ timeout: 30_000 });
  const customerHref = (await customer.getAttribute("href"))!;
  await page.goto(customerHref);
  const link = page.getByRole("table", { name: "贷款" }).getByRole("link", { name: /^L\d+$/ }).first();
  await expect(link).toBeVisible();
  return { customerHref, loanHref: (await link.getAttribute("href"))!, contractNo: (await link.textContent())!.trim() };
}

test("rm1 follows a loan link from a customer to the loan page with its schedule and DPD / class history", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "rm1");
  const { customerHref, loanHref, contractNo } = await ownLoanHref(page);
  expect(loanHref).toMatch(/^\/loans\/\d+$/);

  // The customer page shows each loan's current DPD and class next to the link.
  const loans = page.getByRole("table", { name: "贷款" });
  await expect(loans.getByRole("columnheader", { name: "逾期天数" })).toBeVisible();
  await expect(loans.getByRole("columnheader", { name: "五级分类" })).toBeVisible();

  // The page must not move under the click: an empty churn table above used to grow by 16 px after hydration, and a
  // click begun on the link ended on the row beside it, which expanded instead (the card now shows a text when empty).
  await loans.getByRole("link", { name: contractNo }).click();
  // The URL changes when the loan page's payload has arrived (schedule, repayments, history): seconds on 2 busy cores.
  await expect(page).toHaveURL(loanHref, { timeout: 30_000 });
  await expect(page.getByRole("heading", { name: `贷款合同 ${contractNo}` })).toBeVisible();
  await expect(page.locator(`a[href="${customerHref}"]`).first()).toBeVisible();

  // State cards (the seed computes every loan's state).
  const stats = page.getByRole("group", { name: "贷款状态概览" });
  await expect(stats.getByText("逾期天数")).toBeVisible();
  await expect(stats.getByText("五级分类")).toBeVisible();

  const schedule = page.getByRole("table", { name: `合同 ${contractNo} 的还款计划` });
  await expect(schedule).toBeVisible();
  await expect(schedule.getByRole("columnheader", { name: "状态" })).toBeVisible();
  await expect(schedule.getByRole("row").nth(1)).toContainText(/按时还清|提前还清|逾期后还清|逾期 \d+ 天|本期待还|未到期/);
  await expect(page.getByRole("table", { name: `合同 ${contractNo} 的实际还款` })).toBeVisible();

  // The history region: a chart with its accessible name, or the empty state for a loan that never changed.
  const history = page.getByRole("region", { name: "逾期天数与五级分类走势" });
  await expect(history).toBeVisible();
  await expect(history.getByRole("img", { name: `合同 ${contractNo} 的逾期天数与五级分类走势图` }).or(history.getByText("本笔贷款自放款以来没有逾期", { exact: false }))).toBeVisible();
});

test("a loan with a history draws the DPD / class chart and lists its changes", async ({ page }) => {
  await signIn(page, "rm1");
  // A churned customer's loans are settled (matured or prepaid), and a settlement is always in the history.
  const { contractNo } = await ownLoanHref(page, "/customers?status=churned");
  await page.getByRole("table", { name: "贷款" }).getByRole("link", { name: contractNo }).click();
  const history = page.getByRole("region", { name: "逾期天数与五级分类走势" });
  const chart = history.getByRole("img", { name: `合同 ${contractNo} 的逾期天数与五级分类走势图` });
  await expect(chart).toBeVisible();
  await expect(chart.locator("canvas")).toHaveCount(1);
  await expect(history.getByText(/最高逾期 \d+ 天；当前逾期 \d+ 天/)).toBeVisible();
  await history.getByRole("button", { name: /变化明细/ }).click();
  await expect(history.getByRole("table", { name: `合同 ${contractNo} 的逾期与分类变化明细` })).toBeVisible();
});

test("the loan page renders cleanly in both languages at laptop width", async ({ page, context }) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  await signIn(page, "rm1");
  const { loanHref } = await ownLoanHref(page);
  for (const locale of ["zh-CN", "en"] as const) {
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
    expect((await page.goto(loanHref))?.status()).toBe(200);
    await page.waitForLoadState("networkidle");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${loanHref} scrolls sideways in ${locale}`).toBeLessThanOrEqual(0);
    await expect(page.locator("body")).not.toContainText(/\b[a-z]+[A-Z]?\w*\.[a-z]+\w*\.[a-z]\w*\b/);
  }
  await expect(page.getByRole("region", { name: "Days past due and loan classification over time" })).toBeVisible();
});

test("rm1 opening rm2's loan by URL sees 404", async ({ browser }) => {
  const rm2 = await browser.newPage();
  await signIn(rm2, "rm2");
  const { loanHref, contractNo } = await ownLoanHref(rm2);
  expect((await rm2.goto(loanHref))?.status()).toBe(200);
  await rm2.close();

  const rm1 = await browser.newPage();
  await signIn(rm1, "rm1");
  const res = await rm1.goto(loanHref);
  expect(res?.status()).toBe(404);
  await expect(rm1.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expect(rm1.getByText(contractNo)).toHaveCount(0);
  // An id that does not exist looks the same.
  expect((await rm1.goto("/loans/999999999"))?.status()).toBe(404);
  expect((await rm1.goto("/loans/abc"))?.status()).toBe(404);
  await rm1.close();
});
