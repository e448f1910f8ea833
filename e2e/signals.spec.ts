import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test("an admin proposes a lexicon term; a second admin tries a note on it and approves it", async ({ page, browser }) => {
  // A term the built-in lexicon does not know; a retry adds another, so it never meets its own first attempt.
  const term = ["上门推介", "登门推介", "上门推销"][test.info().retry]!;
  const note = `客户说最近有人${term}一款理财产品。`;

  await signIn(page, "admin");
  await page.getByRole("menu", { name: "主菜单" }).getByRole("link", { name: "信号词库" }).click();
  await expect(page).toHaveURL(/\/admin\/signals$/);
  await expect(page.getByTestId("active-lexicon-version")).toHaveText(/^v\d+$/);
  await page.getByRole("tab", { name: "他行营销" }).click();
  const terms = page.getByRole("textbox", { name: "他行营销 · 中文" });
  await terms.fill(`${await terms.inputValue()}\n${term}`);
  await page.getByRole("textbox", { name: "说明" }).fill(`新增 ${term}`);
  await page.getByRole("button", { name: "提交新版本" }).click();
  const proposed = page.getByText(/^版本 v\d+ 已提交，须由另一位管理员批准。$/);
  await expect(proposed).toBeVisible();
  const version = /v(\d+)/.exec((await proposed.textContent()) ?? "")![1]!;
  // Maker-checker: the proposer gets no approve button.
  await expect(page.getByText("这是您本人提交的变更，须由另一位管理员审批或驳回。")).toBeVisible();
  await expect(page.getByRole("button", { name: "批准" })).toHaveCount(0);

  const checker = await browser.newPage();
  await signIn(checker, "admin2");
  await checker.goto("/admin/signals");
  await expect(checker.getByText(new RegExp(`^版本 v${version} 由 .+ 提交，待审批$`))).toBeVisible();
  await expect(checker.getByRole("row", { name: /他行营销 · 中文/ })).toContainText(`+ ${term}`);

  // The try box runs the note through the active lexicon and the proposal: only the proposal finds the offer.
  await checker.getByRole("textbox", { name: "待分析的跟进记录" }).fill(note);
  await checker.getByRole("button", { name: `用生效词库和待审批版本 v${version} 分析` }).click();
  const withProposal = checker.getByTestId("findings-proposed");
  await expect(withProposal.getByTestId("found-competitor_offer")).toBeVisible();
  await expect(withProposal.locator("mark")).toHaveText(term);
  await expect(checker.getByTestId("findings-active").getByText("未发现信号。")).toBeVisible();

  await checker.getByRole("button", { name: "批准" }).click();
  await expect(checker.getByText(`版本 v${version} 已批准，现为生效词库。`)).toBeVisible();
  await expect(checker.getByTestId("active-lexicon-version")).toHaveText(`v${version}`);
  await checker.getByRole("textbox", { name: "待分析的跟进记录" }).fill(note);
  await checker.getByRole("button", { name: "用生效词库分析" }).click();
  await expect(checker.getByTestId("findings-active").getByTestId("found-competitor_offer").locator("mark")).toHaveText(term);
  await checker.close();
});

for (const locale of ["zh-CN", "en"] as const) {
  test(`the lexicon screen renders cleanly in ${locale}`, async ({ page, context }) => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await signIn(page, "admin");
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
    const res = await page.goto("/admin/signals");
    expect(res?.status()).toBe(200);
    await page.waitForLoadState("networkidle");
    await expect(page.getByRole("heading", { name: locale === "en" ? "Signal lexicon" : "信号词库" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // next-intl renders a missing message as its dotted key (the term lists are textareas' values, not text).
    await expect(page.locator("body")).not.toContainText(/\bsignals\.\w+/);
    await page.screenshot({ path: `test-results/screens/admin_admin_signals-${locale}.png`, fullPage: true });
  });
}
