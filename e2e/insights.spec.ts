// Warning quality through the browser, as a supervisor: open rule quality, drill from a rule's precision into the
// warnings it counts, follow its recall into the churn events it caught, and confirm a detected one with a reason
// family. The demo opens its warnings on the day it loads, so the test records one churn event (source "recorded",
// which detection never re-derives) after a warning of sup1's branch: that makes the warning a hit.
import postgres from "postgres";
import { expect, signIn, test } from "./fixtures";

type Planted = { eventId: number; warningId: number; ruleId: number; ruleVersionId: number; version: number; ruleZh: string; ruleEn: string; customerName: string };

async function plantEvent(): Promise<Planted> {
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    // A warning of sup1's branch on a customer without churn events, opened this month (the page's default period).
    const [w] = await sql<{ id: number; rule_id: number; customer_id: number; stage: string; will: string; opened_on: string; rule_version_id: number; version: number; name_zh: string; name_en: string; name: string }[]>`
      select w.id::int, w.rule_id, w.customer_id, w.stage::text, w.will::text, w.opened_on::text, w.rule_version_id, rv.version, rv.name_zh, rv.name_en, c.name
      from warnings w join customers c on c.id = w.customer_id join rule_versions rv on rv.id = w.rule_version_id
      where c.branch_id = (select branch_id from users where username = 'sup1')
        and w.opened_on >= date_trunc('month', (now() at time zone 'Asia/Shanghai'))::date
        and not exists (select 1 from churn_events e where e.customer_id = w.customer_id)
      order by w.id desc limit 1`;
    if (!w) throw new Error("the e2e demo has no warning this month in sup1's branch");
    const [e] = await sql<{ id: number }[]>`
      insert into churn_events (subject_key, customer_id, stage, kind, will, reason_inferred, effective_on, detected_on, source, status)
      values (${`customer:${w.customer_id}`}, ${w.customer_id}, ${w.stage}::churn_stage, 'other', ${w.will}::churn_will, true, ${w.opened_on}::date, ${w.opened_on}::date, 'recorded', 'detected')
      on conflict (subject_key, kind, effective_on) do update set status = 'detected', reason_family = null, decided_by = null, decided_at = null
      returning id::int`;
    return { eventId: e!.id, warningId: w.id, ruleId: w.rule_id, ruleVersionId: w.rule_version_id, version: w.version, ruleZh: w.name_zh, ruleEn: w.name_en, customerName: w.name };
  } finally {
    await sql.end();
  }
}

test("a supervisor drills from a rule's precision into its warnings and confirms a churn event it caught", async ({ page, context }) => {
  test.setTimeout(180_000);
  const p = await plantEvent();
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, "sup1");
  await page.goto("/insights");
  await expect(page.getByRole("heading", { name: /^预警质量/ })).toBeVisible();
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
  await expect(page.getByText("规则质量")).toBeVisible();
  await page.screenshot({ path: "test-results/insights/sup1_insights-zh-CN.png", fullPage: true });

  // The rule's precision counts the planted hit; its link opens the warnings it counts, the planted one among them.
  const precision = page.getByRole("link", { name: `${p.ruleZh} v${p.version} 的精确率` });
  await expect(precision).toBeVisible();
  await expect(precision).not.toHaveText(/^0\.0%/);
  await precision.click();
  await expect(page).toHaveURL(new RegExp(`/warnings\\?.*ruleVersionId=${p.ruleVersionId}.*quality=hit`));
  await expect(page.getByTestId("warnings-quality-filter")).toContainText("命中");
  await expect(page.getByRole("link", { name: `#${p.warningId}`, exact: true })).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: "test-results/insights/sup1_warnings-hits-zh-CN.png", fullPage: true });

  // Back to rule quality: the rule's recall opens the churn events its warnings preceded; confirm the planted one.
  await page.goto("/insights");
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
  await page.getByRole("link", { name: `${p.ruleZh} v${p.version} 的召回率` }).click();
  await expect(page).toHaveURL(new RegExp(`/churn\\?.*ruleVersionId=${p.ruleVersionId}`));
  await expect(page.getByTestId("churn-link-filter")).toBeVisible();
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
  const decide = page.getByRole("button", { name: new RegExp(`^处理${p.customerName}的`) }).first();
  await expect(decide).toBeVisible({ timeout: 20_000 });
  await decide.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(p.customerName);
  await dialog.getByRole("combobox", { name: "原因类别" }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: /^服务与竞争$/ }).click();
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("流失事件已确认")).toBeVisible({ timeout: 20_000 });
  const after = await page.request.get(`/api/v1/churn-events?status=confirmed&pageSize=200`);
  const confirmed = ((await after.json()) as { rows: { id: number; status: string; reasonFamily: string; reasonInferred: boolean }[] }).rows.find((r) => r.id === p.eventId);
  expect(confirmed).toMatchObject({ status: "confirmed", reasonFamily: "service_competition", reasonInferred: false });

  // The rule editor shows the rule's own figures beside its backtest.
  await page.goto(`/admin/rules/${p.ruleId}`);
  await expect(page.getByTestId("rule-quality")).toContainText("本规则的预警质量");
  await expect(page.getByTestId("rule-quality").getByRole("link", { name: `${p.ruleZh} v${p.version} 的精确率` })).toBeVisible();
  await page.screenshot({ path: "test-results/insights/sup1_rule-zh-CN.png", fullPage: true });

  // The same pages in English, for people to look at.
  // The cookie for the whole site (a cookie set from a page's URL would only cover that page's directory).
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: test.info().project.use.baseURL! }]);
  await page.goto("/insights");
  await expect(page.getByRole("heading", { name: /^Warning quality/ })).toBeVisible();
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
  await expect(page.getByRole("link", { name: `Precision of ${p.ruleEn} v${p.version}` })).toBeVisible();
  await page.screenshot({ path: "test-results/insights/sup1_insights-en.png", fullPage: true });
  await page.goto(`/admin/rules/${p.ruleId}`);
  await expect(page.getByTestId("rule-quality")).toContainText("This rule's warning quality");
  await page.screenshot({ path: "test-results/insights/sup1_rule-en.png", fullPage: true });
});

// RMs and HR get 404 on the page (e2e/sweep.spec.ts) and on the API (test/insights.int.test.ts).
test("an admin sees the bank and picks a branch", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, "admin");
  await page.goto("/insights");
  await expect(page.getByRole("heading", { name: "预警质量 · 全行" })).toBeVisible();
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
  await page.getByRole("combobox", { name: "机构" }).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option").nth(1).click();
  await expect(page).toHaveURL(/branchId=\d+/);
  await page.screenshot({ path: "test-results/insights/admin_insights-branch-zh-CN.png", fullPage: true });
});
