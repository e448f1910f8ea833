import { type Locator } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

/** Clicks until `shows` is visible: a click that lands before the page has hydrated does nothing. */
async function clickUntil(target: Locator, shows: Locator): Promise<void> {
  await expect(async () => {
    if (!(await shows.isVisible())) await target.click();
    await expect(shows).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

// Each step is a server action and a refresh; on a two-core machine running two specs at once that adds up.
test.describe.configure({ timeout: 120_000 });

test("an admin adds an LPR rate, sees it in the table, and gets a field error for a second one on the same date", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("menu", { name: "主菜单" }).getByRole("link", { name: "参考数据" }).click();
  await expect(page).toHaveURL(/\/admin\/reference$/);
  await expect(page.getByRole("img", { name: /LPR/ })).toBeVisible();

  // A date of its own (no LPR was published on the 3rd of a month), so a retried run does not collide with itself.
  const date = `2024-0${1 + (Date.now() % 9)}-03`;
  const dialog = page.getByRole("dialog", { name: "添加利率" });
  await clickUntil(page.getByRole("button", { name: "添加利率" }), dialog);
  await dialog.getByLabel("生效日期").fill(date);
  await dialog.getByLabel("生效日期").press("Enter");
  await dialog.getByLabel("年利率（%）").fill("35");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog.getByText("年利率须在 0.01% 至 20% 之间")).toBeVisible();
  await dialog.getByLabel("年利率（%）").fill("3.2");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText(`已添加 ${date} 的1年期 LPR`)).toBeVisible();
  const row = page.getByRole("row", { name: new RegExp(date) });
  await expect(row).toContainText("3.20%");
  await expect(row).toContainText("1年期 LPR");

  // The same kind and date again: a field error in Chinese, nothing written.
  await page.getByRole("button", { name: "添加利率" }).click();
  await dialog.getByLabel("生效日期").fill(date);
  await dialog.getByLabel("生效日期").press("Enter");
  await dialog.getByLabel("年利率（%）").fill("3.1");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog.getByText("该品种在这一生效日期已有利率，请直接更正那一条")).toBeVisible();
  await dialog.getByRole("button", { name: "取消" }).click();
  await expect(page.getByRole("row", { name: new RegExp(date) })).toHaveCount(1);

  // Clean up after ourselves: other specs evaluate rules against the same database.
  await page.getByRole("button", { name: `删除 ${date} 的1年期 LPR` }).click();
  await page.getByRole("tooltip").getByRole("button", { name: "删除" }).click();
  await expect(page.getByText(`已删除 ${date} 的1年期 LPR`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(date) })).toHaveCount(0);

});

test("an admin adds a watch-listed industry, sees it listed with the customers it covers, pauses and removes it", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/reference");
  await clickUntil(page.getByRole("tab", { name: /关注行业/ }), page.getByRole("button", { name: "添加关注行业" }));
  await expect(page).toHaveURL(/tab=watchlist/);
  const watch = page.getByRole("dialog", { name: "添加关注行业" });
  await clickUntil(page.getByRole("button", { name: "添加关注行业" }), watch);
  await watch.getByLabel("行业代码").fill("Z99");
  await watch.getByLabel("关注原因").fill("房地产调控，销售回款放缓");
  await watch.getByRole("button", { name: "保存" }).click();
  await expect(watch.getByText("请输入有效的国标行业代码：门类字母 A–T 或大类代码（如 C36）")).toBeVisible();
  await watch.getByLabel("行业代码").fill("k70");
  await expect(watch.getByText("行业：房地产业")).toBeVisible();
  await watch.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已将 K70 加入关注名单")).toBeVisible();
  const entry = page.getByRole("row", { name: /K70/ });
  await expect(entry).toContainText("房地产业");
  await expect(entry).toContainText("房地产调控，销售回款放缓");
  await expect(entry).toContainText("关注中");
  await expect(entry.getByRole("cell").nth(4)).toHaveText(/^\d+$/);

  await entry.getByRole("switch", { name: "关注 K70" }).click();
  await expect(page.getByText("已暂停关注 K70")).toBeVisible();
  await expect(page.getByRole("row", { name: /K70/ })).toContainText("已暂停");

  await page.getByRole("button", { name: "删除 K70" }).click();
  await page.getByRole("tooltip").getByRole("button", { name: "删除" }).click();
  await expect(page.getByText("已从关注名单删除 K70")).toBeVisible();
  await expect(page.getByRole("row", { name: /K70/ })).toHaveCount(0);
});

test("an admin creates a rule with the New rule button and lands in its editor, where a subject change resets the condition", async ({ page }) => {
  const code = `e2e_${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await page.goto("/admin/rules");
  const dialog = page.getByRole("dialog", { name: "新建预警规则" });
  await clickUntil(page.getByRole("button", { name: "新建规则" }), dialog);
  await dialog.getByLabel("编码").fill("Bad Code");
  await dialog.getByLabel("中文名称").fill("端到端测试规则");
  await dialog.getByLabel("英文名称").fill("End-to-end test rule");
  await dialog.getByRole("button", { name: "创建并提交审批" }).click();
  await expect(dialog.getByText("规则编码须为 2–48 位小写字母、数字或下划线，并以字母开头")).toBeVisible();
  await dialog.getByLabel("编码").fill(code);
  // An untouched default condition follows the subject without a question.
  await dialog.getByLabel("对象").click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="客户"]').click();
  await dialog.getByRole("button", { name: "创建并提交审批" }).click();

  await expect(page).toHaveURL(/\/admin\/rules\/\d+$/);
  await expect(page.getByRole("heading", { name: new RegExp(`端到端测试规则 ${code}`) })).toBeVisible();
  await expect(page.getByText("这是您提交的变更，须由另一位管理员或主管审批或驳回。")).toBeVisible();
  await expect(page.getByText(/v1 由 .* 提交，待审批/)).toBeVisible();

  // An edited condition is only replaced after confirmation; cancel keeps both subject and condition.
  await page.getByRole("spinbutton", { name: "取值" }).first().fill("7");
  await expect(page.getByLabel("JSON 视图")).toHaveValue(/"value": 7/);
  await page.getByRole("combobox", { name: "对象", exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="贷款"]').click();
  const confirm = page.getByRole("dialog", { name: "更换规则对象？" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "取消" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByLabel("JSON 视图")).toHaveValue(/"value": 7/);
  await page.getByRole("combobox", { name: "对象", exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="贷款"]').click();
  await page.getByRole("dialog", { name: "更换规则对象？" }).getByRole("button", { name: "更换并重置条件" }).click();
  await expect(page.getByLabel("JSON 视图")).not.toHaveValue(/"value": 7/);
  await page.getByRole("button", { name: "运行回测" }).click();
  await expect(page.getByTestId("backtest-today")).toHaveText(/^\d+$/);
});

test("an admin moves the nightly run to another time and sees the next run follow; a supervisor only reads it", async ({ page, browser }) => {
  await signIn(page, "admin");
  await page.goto("/admin/cob");
  await expect(page.getByTestId("cob-time")).toHaveText("每日 02:00");
  const input = page.getByLabel("每日运行时间");
  const save = page.getByRole("button", { name: "保存时间" });
  await expect(async () => {
    await input.fill("02:35");
    await input.press("Enter");
    await expect(save).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await save.click();
  await expect(page.getByText(/已保存：每日 02:35 运行，下次 \d{4}-\d{2}-\d{2} 02:35/)).toBeVisible();
  await expect(page.getByTestId("cob-time")).toHaveText("每日 02:35");
  await expect(page.getByTestId("cob-next")).toHaveText(/^\d{4}-\d{2}-\d{2} 02:35$/);

  const sup = await browser.newPage();
  await signIn(sup, "sup1");
  await sup.goto("/admin/cob");
  await expect(sup.getByTestId("cob-time")).toHaveText("每日 02:35");
  await expect(sup.getByText("仅管理员可以修改运行时间。")).toBeVisible();
  await expect(sup.getByRole("button", { name: "保存时间" })).toHaveCount(0);
  await sup.close();

  // Back to the default for the other specs.
  await input.fill("02:00");
  await input.press("Enter");
  await save.click();
  await expect(page.getByTestId("cob-time")).toHaveText("每日 02:00");
});
