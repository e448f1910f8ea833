// The imports page: an admin uploads a repayments file covering an overdue loan, watches the import run, sees the
// result, and the loan's DPD drops on its page; a file with a negative amount is rejected with its errors listed and
// nothing written.
import { type APIRequestContext, type Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

type Installment = { dueOn: string; principalDueFen: number; interestDueFen: number; paidPrincipalFen: number; paidInterestFen: number; penaltyAccruedFen: number; paidPenaltyFen: number };
type LoanDetail = {
  loan: { id: number; contractNo: string; status: string };
  state: { asOf: string; dpd: number } | null;
  schedule: Installment[];
  repayments: { id: number }[];
};
type CustomerLoans = { loans: { contractNo: string; status: string; state: { dpd: number } | null }[] };

const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const yuan = (fen: number) => (fen / 100).toFixed(2);
const HEADER = "合同编号,还款日期,还款金额,流水号";

async function json<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** An active loan with days past due, found through the API as the admin sees the portfolio (the last customers
 * first: other specs work on the first ones). */
async function overdueLoan(request: APIRequestContext): Promise<LoanDetail> {
  const { rows } = await json<{ rows: { customerNo: string }[] }>(request, "/api/v1/customers?pageSize=200&sort=customerNo&order=desc");
  for (const c of rows) {
    const { loans } = await json<CustomerLoans>(request, `/api/v1/customers/${encodeURIComponent(c.customerNo)}`);
    const loan = loans.find((l) => l.status === "active" && (l.state?.dpd ?? 0) > 0);
    if (loan) return json<LoanDetail>(request, `/api/v1/loans/${encodeURIComponent(loan.contractNo)}`);
  }
  throw new Error("the seeded portfolio has no overdue loan");
}

/** What the loan owes up to `day`: unpaid installments due by then and unpaid penalty, plus a margin for penalty
 * that accrued since the state was computed. */
function owedBy(detail: LoanDetail, day: string): number {
  let fen = 0;
  for (const i of detail.schedule) {
    if (i.dueOn <= day) fen += i.principalDueFen + i.interestDueFen - i.paidPrincipalFen - i.paidInterestFen;
    fen += Math.max(0, i.penaltyAccruedFen - i.paidPenaltyFen);
  }
  return Math.ceil(fen * 1.02) + 10_000;
}

async function chooseKind(page: Page, label: string) {
  await page.getByLabel("数据类型").click();
  // antd renders its own option list (the role="option" nodes are screen-reader copies).
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: label }).click();
}

async function uploadFile(page: Page, name: string, content: string) {
  // The drop zone is a button named by its text; the file goes through its (hidden) file input.
  const dropZone = page.getByRole("button", { name: /点击选择文件，或把文件拖到这里/ });
  await expect(dropZone).toBeVisible();
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content, "utf8") });
  await expect(page.getByText(name, { exact: false }).first()).toBeVisible();
  await page.getByRole("button", { name: "开始导入" }).click();
}

test("an admin imports repayments for an overdue loan, watches the import and sees the loan's DPD drop", async ({ page }) => {
  await signIn(page, "admin");
  const before = await overdueLoan(page.request);
  const dpdBefore = before.state!.dpd;
  expect(dpdBefore).toBeGreaterThan(0);
  const day = today();
  const contractNo = before.loan.contractNo;
  const fileName = `还款-${contractNo}-${Date.now()}.csv`;
  const csv = `${HEADER}\n${contractNo},${day},${yuan(owedBy(before, day))},E2E-${Date.now()}\n`;

  await page.getByRole("link", { name: "数据导入" }).click();
  await expect(page).toHaveURL(/\/admin\/imports$/);
  await expect(page.getByRole("heading", { name: "数据导入" })).toBeVisible();
  await chooseKind(page, "还款流水");
  await uploadFile(page, fileName, csv);

  // Progress: the steps and the bar, polled until the import is done.
  const current = page.getByRole("region", { name: "当前导入" });
  await expect(current).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/imports\?id=\d+$/);
  const bar = current.getByRole("progressbar", { name: "导入进度" });
  await expect(bar).toBeVisible();
  await expect(current.getByText("读取文件")).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });

  // The result: one new repayment.
  await expect(current.getByText("导入成功：写入 1 行。")).toBeVisible();
  const counts = current.getByRole("group", { name: "导入结果" });
  await expect(counts.getByTestId("import-new")).toContainText("1");
  await expect(counts.getByTestId("import-changed")).toContainText("0");
  await expect(current.getByTestId("import-counts")).toContainText("已写入 1 行");

  // The history lists it with who and what.
  const history = page.getByRole("table", { name: "导入记录" });
  const row = history.getByRole("row").filter({ hasText: fileName });
  await expect(row).toContainText("已完成");
  await expect(row).toContainText("还款流水");
  await expect(row).toContainText("1 / 0 / 0");

  // The loan's state follows within seconds: the outbox is nudged when the import writes.
  await expect
    .poll(async () => (await json<LoanDetail>(page.request, `/api/v1/loans/${encodeURIComponent(contractNo)}`)).state?.dpd, { timeout: 15_000 })
    .toBeLessThan(dpdBefore);
  await page.goto(`/loans/${before.loan.id}`);
  await expect(page.getByRole("heading", { name: `贷款合同 ${contractNo}` })).toBeVisible();
  const dpd = page.getByTestId("loan-stat-dpd");
  await expect(dpd).toBeVisible();
  const shown = Number((await dpd.innerText()).replace(/\D+/g, ""));
  expect(shown).toBeLessThan(dpdBefore);
  expect(shown).toBe(0);
});

test("a file with a negative amount is rejected with row, column and message, and writes nothing", async ({ page }) => {
  await signIn(page, "admin");
  const loan = await overdueLoan(page.request);
  const contractNo = loan.loan.contractNo;
  const fileName = `负数金额-${Date.now()}.csv`;
  const csv = `${HEADER}\n${contractNo},${today()},-100.00,E2E-NEG-${Date.now()}\n`;

  await page.goto("/admin/imports");
  await chooseKind(page, "还款流水");
  await uploadFile(page, fileName, csv);

  const current = page.getByRole("region", { name: "当前导入" });
  await expect(current.getByText("文件未通过校验，共 1 处错误，未写入任何数据。")).toBeVisible({ timeout: 30_000 });
  const errors = current.getByRole("table", { name: "错误明细" });
  const first = errors.getByRole("row").nth(1);
  await expect(first.getByRole("cell").nth(0)).toHaveText("1");
  await expect(first.getByRole("cell").nth(1)).toHaveText("还款金额");
  await expect(first.getByRole("cell").nth(2)).toHaveText("金额不能为负数。");

  // The error report downloads as CSV with the same error.
  const report = current.getByRole("link", { name: "下载错误报告（CSV）" });
  await expect(report).toBeVisible();
  const res = await page.request.get((await report.getAttribute("href"))!);
  expect(res.headers()["content-disposition"]).toContain("attachment");
  expect(await res.text()).toContain("1,还款金额,amount.negative,金额不能为负数。");

  await expect(page.getByRole("table", { name: "导入记录" }).getByRole("row").filter({ hasText: fileName })).toContainText("未通过校验");
  const after = await json<LoanDetail>(page.request, `/api/v1/loans/${encodeURIComponent(contractNo)}`);
  expect(after.repayments.length).toBe(loan.repayments.length);
});

test("the imports page renders cleanly in both languages and is for admins only", async ({ page, context, browser }) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  await signIn(page, "admin");
  for (const locale of ["zh-CN", "en"] as const) {
    await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: new URL("/", page.url()).toString() }]);
    expect((await page.goto("/admin/imports"))?.status()).toBe(200);
    await page.waitForLoadState("networkidle");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `scrolls sideways in ${locale}`).toBeLessThanOrEqual(0);
    // next-intl renders a missing message as its dotted key.
    await expect(page.locator("body")).not.toContainText(/\b[a-z]+[A-Z]?\w*\.[a-z]+\w*\.[a-z]\w*\b/);
  }
  await expect(page.getByRole("link", { name: "Repayments template" })).toHaveAttribute("href", "/api/imports/templates/repayments");

  const rmContext = await browser.newContext();
  const rm = await rmContext.newPage();
  await signIn(rm, "rm1");
  expect((await rm.goto("/admin/imports"))?.status()).toBe(404);
  expect((await rm.request.get("/api/imports")).status()).toBe(403);
  await rmContext.close();
});
