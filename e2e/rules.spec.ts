import { closeDb, createDb } from "../lib/db/client";
import { BUILTIN_RULES, ensureBuiltinRules } from "../lib/rules/library";
import { expect, signIn, test } from "./fixtures";

test("a supervisor edits a rule and runs the backtest; they cannot approve it themselves; an admin approves it", async ({ page, browser }) => {
  await signIn(page, "sup1");
  await page.getByRole("menu", { name: "主菜单" }).getByRole("link", { name: "预警规则" }).click();
  await expect(page).toHaveURL(/\/admin\/rules$/);
  await page.getByRole("link", { name: "客户撤回申请" }).click();
  await expect(page).toHaveURL(/\/admin\/rules\/\d+$/);
  const url = page.url();

  // Severity medium → high, and the "decided within 30 days" threshold → 45.
  await page.getByLabel("严重程度").click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="高"]').click();
  await page.getByRole("spinbutton", { name: "取值" }).fill("45");
  await expect(page.getByLabel("JSON 视图")).toHaveValue(/"value": 45/);

  await page.getByRole("button", { name: "运行回测" }).click();
  await expect(page.getByTestId("backtest-today")).toHaveText(/^\d+$/);
  await expect(page.getByText("回测：每日命中数").first()).toBeVisible();

  await page.getByRole("button", { name: "提交变更" }).click();
  const proposed = page.getByText(/已提交 v\d+/);
  await expect(proposed).toBeVisible();
  const version = /v(\d+)/.exec((await proposed.textContent()) ?? "")![1]!;
  // Maker-checker: the proposer sees no approve button, only a note that someone else must decide.
  await expect(page.getByText("这是您提交的变更，须由另一位管理员或主管审批或驳回。")).toBeVisible();
  await expect(page.getByRole("button", { name: "批准" })).toHaveCount(0);

  const admin = await browser.newPage();
  await signIn(admin, "admin");
  await admin.goto(url);
  // The checker sees what the proposal changes against the active version.
  await expect(admin.getByTestId("version-changes")).toContainText("严重程度: 中 → 高");
  await admin.getByRole("button", { name: "批准" }).click();
  await expect(admin.getByText(`v${version} 已批准并生效`)).toBeVisible();
  await expect(admin.getByTestId("active-version")).toHaveText(`v${version}`);
  await admin.goto("/admin/rules");
  await expect(admin.getByRole("row", { name: /客户撤回申请/ })).toContainText(`v${version}`);
  await expect(admin.getByRole("row", { name: /客户撤回申请/ })).toContainText("高");
});

test("a release's changed built-in rule arrives as a proposal from the library, which an admin approves", async ({ page }) => {
  // What a worker of a new release does at start: its library changes the cooldown of a built-in rule (shipped
  // disabled, so no other spec's warnings move). A retry ships yet another definition: each is proposed once.
  const cooldown = 120 + test.info().retry;
  const db = createDb(process.env.DATABASE_URL!, 1);
  try {
    const release = BUILTIN_RULES.map((r) => (r.code === "large_customer_not_contacted_90d" ? { ...r, cooldownDays: cooldown } : r));
    expect(await ensureBuiltinRules(db, release, "9.9.9")).toMatchObject({ proposed: 1 });
  } finally {
    await closeDb(db);
  }

  await signIn(page, "admin");
  await page.goto("/admin/rules");
  const row = page.getByRole("row", { name: /大客户90天未联系/ });
  await expect(row.getByText(/^v\d+ 规则库更新待审批$/)).toBeVisible();
  await row.getByRole("link", { name: "大客户90天未联系" }).click();
  await expect(page.getByText(/^v\d+ 由 内置规则库 于 .+ 提交，待审批$/)).toBeVisible();
  await expect(page.getByText("此版本来自新发布版本的内置规则库。", { exact: false })).toBeVisible();
  await expect(page.getByTestId("version-changes")).toContainText(new RegExp(`冷却期: \\d+ 天 → ${cooldown} 天`));
  await page.getByRole("button", { name: "批准" }).click();
  await expect(page.getByText(/^v\d+ 已批准并生效$/)).toBeVisible();
  await expect(page.getByRole("row", { name: /内置规则库/ }).first()).toBeVisible();
  await page.goto("/admin/rules");
  await expect(page.getByRole("row", { name: /大客户90天未联系/ }).getByText(/规则库更新待审批/)).toHaveCount(0);
});
