// The churn report through the browser: a supervisor generates their branch's report (the worker generates it while
// the page shows progress), edits the measures, finalises, and downloads the XLSX and the PDF; the test opens both
// files and checks what they hold against the report's own API answer. Screenshots of the report page and the print
// page in both languages. Played as sup2 (branch 2), whose reports no other spec touches.
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import type { Page } from "@playwright/test";
import { formatYuan } from "../lib/format";
import type { Report } from "../lib/reports/service";
import { expect, signIn, test } from "./fixtures";
import { pdfText } from "./pdf-text";

async function hydrated(page: Page): Promise<void> {
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

// An ASCII marker: CJK fonts share glyphs between variants (户/戶), so a PDF's text map may name another code point.
const MARK = "E2E-MEASURE-4711";
const MEASURE = `${MARK} 缩短审批周期，优质客户快速通道`;
const ADDED = "E2E：每周复盘超时任务";

test("a supervisor generates the churn report, edits the measures, finalises and downloads XLSX and PDF", async ({ page, context, baseURL }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  // The first sign-in of a run can meet a cold server under load (a click before the form hydrated): once more then.
  await signIn(page, "sup2").catch(() => signIn(page, "sup2"));
  await page.goto("/reports");
  await expect(page.getByRole("heading", { name: "流失情况汇报" })).toBeVisible();
  await hydrated(page);

  // Generate: the scope is fixed to the supervisor's branch; a bad period is refused on the field.
  await page.getByRole("button", { name: "生成汇报" }).click();
  const dialog = page.getByRole("dialog", { name: "生成流失情况汇报" });
  await expect(dialog.getByRole("combobox", { name: "范围" })).toBeDisabled();
  const period = dialog.getByRole("textbox", { name: "期间" });
  await period.fill("2026-13");
  await dialog.getByRole("button", { name: "生成汇报" }).click();
  await expect(dialog.getByText("请输入期间：月（2026-11）、季度（2026-Q3）或年（2026）")).toBeVisible();
  const year = new Date().getFullYear().toString();
  await period.fill(year);
  await dialog.getByRole("button", { name: "生成汇报" }).click();
  await expect(page).toHaveURL(/\/reports\/\d+$/, { timeout: 20_000 });
  const id = Number(/\/reports\/(\d+)$/.exec(page.url())![1]);
  await hydrated(page);
  // The worker generates it: progress, then the document.
  await expect(page.getByTestId("report-status")).toHaveText("已生成", { timeout: 90_000 });
  await expect(page.getByRole("heading", { name: "一、基本信息" })).toBeVisible({ timeout: 20_000 });

  // Edit the measures: reword the first, add one.
  await page.getByRole("button", { name: "修改措施" }).click();
  const editor = page.getByRole("dialog", { name: "修改措施" });
  await editor.getByRole("textbox", { name: "措施 1" }).fill(MEASURE);
  await editor.getByRole("button", { name: "增加措施" }).click();
  const count = await editor.getByRole("textbox", { name: /^措施 \d+$/ }).count();
  await editor.getByRole("textbox", { name: `措施 ${count}` }).fill(ADDED);
  await editor.getByRole("button", { name: "保存措施" }).click();
  await expect(page.getByText("措施已保存")).toBeVisible({ timeout: 20_000 });
  await expect(page.locator(".report")).toContainText(MEASURE, { timeout: 20_000 });
  await expect(page.locator(".report")).toContainText(ADDED);

  // Finalise: audited, locked; the editor is gone.
  await page.getByRole("button", { name: "定稿" }).click();
  await page.locator(".ant-popconfirm").getByRole("button", { name: "定稿" }).click();
  await expect(page.getByText("汇报已定稿")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("button", { name: "修改措施" })).toHaveCount(0);
  await expect(page.locator(".report")).not.toContainText("草稿（未定稿）", { timeout: 20_000 });

  const api = await page.request.get(`/api/v1/reports/${id}`);
  expect(api.status()).toBe(200);
  const report = (await api.json()) as Report;
  expect(report.finalisedAt).not.toBeNull();
  const s = report.snapshot!;

  // XLSX: the four sheets, the totals as formulas whose results are the report's figures.
  const [xlsxDl] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载 Excel" }).click()]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await xlsxDl.path())!);
  expect(wb.worksheets.map((w) => w.name)).toEqual(["基本信息", "原因分析", "损失评估", "改进措施"]);
  const basic = wb.getWorksheet("基本信息")!;
  expect(basic.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  expect(basic.rowCount).toBe(s.basic.rows.length + 2);
  const total = basic.getRow(basic.rowCount);
  expect(total.getCell(1).value).toBe("合计");
  expect(total.getCell(9).value).toMatchObject({ formula: `SUM(I2:I${s.basic.rows.length + 1})`, result: s.basic.exposureFen / 100 });
  expect(total.getCell(10).value).toMatchObject({ result: s.loss.principalLostFen / 100 });
  const loss = wb.getWorksheet("损失评估")!;
  expect(loss.getRow(5).getCell(2).value).toMatchObject({ formula: "B3+B4", result: s.loss.directLossFen / 100 });
  expect(loss.getRow(3).getCell(2).numFmt).toBe("#,##0.00");
  const measures = wb.getWorksheet("改进措施")!;
  expect(measures.getRow(2).getCell(3).value).toBe(MEASURE);

  // PDF: rendered by the worker for the finalised revision; its text holds the four section titles and the loss.
  const pdfLink = page.getByRole("link", { name: "下载 PDF" });
  await expect(pdfLink).toBeVisible({ timeout: 90_000 });
  const [pdfDl] = await Promise.all([page.waitForEvent("download"), pdfLink.click()]);
  const text = pdfText(readFileSync((await pdfDl.path())!));
  for (const title of ["一、基本信息", "二、原因分析", "三、损失评估", "四、改进措施"]) expect(text).toContain(title);
  expect(text).toContain(formatYuan(s.loss.directLossFen));
  expect(text).toContain(formatYuan(s.loss.profitEffectFen));
  expect(text).toContain(MARK);
  expect(text).not.toContain("未定稿");
  const en = await page.request.get(`/api/v1/reports/${id}/export?format=pdf&lang=en`);
  expect(en.status()).toBe(200);
  const enText = pdfText(Buffer.from(await en.body()));
  for (const title of ["1. Basic information", "2. Reason analysis", "3. Loss assessment", "4. Improvement measures"]) expect(enText).toContain(title);

  await page.screenshot({ path: "test-results/reports/report-zh-CN.png", fullPage: true });
  await page.goto(`/reports/${id}/print`);
  await expect(page.getByTestId("report-print")).toBeVisible();
  await page.screenshot({ path: "test-results/reports/print-zh-CN.png", fullPage: true });
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);
  await page.goto(`/reports/${id}`);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "1. Basic information" })).toBeVisible();
  await page.screenshot({ path: "test-results/reports/report-en.png", fullPage: true });
  await page.goto(`/reports/${id}/print`);
  await page.screenshot({ path: "test-results/reports/print-en.png", fullPage: true });
  await page.goto("/reports");
  await hydrated(page);
  await page.screenshot({ path: "test-results/reports/list-en.png" });
});

test("an RM has no reports, and another branch's report is not found", async ({ page, browser, baseURL }) => {
  const rmCtx = await browser.newContext({ baseURL });
  const rm = await rmCtx.newPage();
  await signIn(rm, "rm1");
  expect((await rm.goto("/reports"))?.status()).toBe(404);
  expect((await rm.request.get("/api/v1/reports")).status()).toBe(404);
  await rmCtx.close();
  await signIn(page, "sup2");
  const mine = ((await (await page.request.get("/api/v1/reports")).json()) as { rows: { id: number }[] }).rows.map((r) => r.id);
  const others = [1, 2, 3, 4, 5, 6, 7, 8].filter((i) => !mine.includes(i));
  expect(others.length).toBeGreaterThan(0);
  for (const i of others) {
    expect((await page.request.get(`/api/v1/reports/${i}`)).status()).toBe(404);
    expect((await page.goto(`/reports/${i}`))?.status()).toBe(404);
  }
});
