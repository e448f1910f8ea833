import { expect, test } from "@playwright/test";
import { firstCustomerHref, signIn } from "./fixtures";

test("rm1 opening rm2's customer by URL sees 404, through the page and the API", async ({ browser }) => {
  const rm2 = await browser.newPage();
  await signIn(rm2, "rm2");
  const href = await firstCustomerHref(rm2);
  const ownPage = await rm2.goto(href);
  expect(ownPage?.status()).toBe(200);
  const customerNo = (await rm2.getByText(/^C\d{6}$/).first().textContent())!;
  await rm2.close();

  const rm1 = await browser.newPage();
  await signIn(rm1, "rm1");
  const res = await rm1.goto(href);
  expect(res?.status()).toBe(404);
  await expect(rm1.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expect(rm1.getByText(customerNo)).toHaveCount(0);
  const api = await rm1.request.get(`/api/v1/customers/${customerNo}`);
  expect(api.status()).toBe(404);
  expect((await api.json()).error.code).toBe("notFound");
  await rm1.close();
});

test("a supervisor sees their branch's customers but another branch's customer is 404", async ({ browser }) => {
  const sup2 = await browser.newPage();
  await signIn(sup2, "sup2");
  const otherBranch = await firstCustomerHref(sup2);
  await sup2.close();

  const sup1 = await browser.newPage();
  await signIn(sup1, "sup1");
  const own = await firstCustomerHref(sup1);
  expect((await sup1.goto(own))?.status()).toBe(200);
  expect((await sup1.goto(otherBranch))?.status()).toBe(404);
  await sup1.close();
});

test("HR sees a customer without its contact data", async ({ browser }) => {
  const admin = await browser.newPage();
  await signIn(admin, "admin");
  const href = await firstCustomerHref(admin);
  await admin.goto(href);
  await expect(admin.getByText("联系电话")).toBeVisible();
  await admin.close();

  const hr = await browser.newPage();
  await signIn(hr, "hr1");
  expect((await hr.goto(href))?.status()).toBe(200);
  await expect(hr.getByText("统一社会信用代码")).toBeVisible();
  await expect(hr.getByText("联系电话")).toHaveCount(0);
  await hr.close();
});
