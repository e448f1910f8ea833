import { expect, HOMES, PASSWORD, signIn, test } from "./fixtures";

for (const [username, home] of Object.entries(HOMES)) {
  test(`${username} signs in and lands on the ${home.path} home`, async ({ page }) => {
    await signIn(page, username);
    await expect(page).toHaveURL(new RegExp(`${home.path}$`));
    await expect(page.getByTestId("current-user")).toContainText(home.roleZh);
    await expect(page.getByRole("navigation", { name: "主菜单" }).or(page.getByRole("menu", { name: "主菜单" }))).toBeVisible();
  });
}

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("用户名").fill("rm2");
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("login-error")).toContainText("用户名或密码错误");
  await expect(page).toHaveURL(/\/login/);
});

test("signed-out visitors are sent to sign in, and back where they were going afterwards", async ({ page }) => {
  await page.goto("/customers");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel("用户名").fill("sup1");
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/customers$/);
});

test("sign-out ends the session, even for a copy of its cookie", async ({ page, context }) => {
  await signIn(page, "hr1");
  const stolen = await context.cookies();
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/hr");
  await expect(page).toHaveURL(/\/login/);
  // Someone who copied the cookie before sign-out gets nowhere with it either.
  await context.addCookies(stolen);
  await page.goto("/hr");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("button", { name: "登录" })).toBeVisible();
  // Nor can they keep it alive: the proxy clears it instead of re-issuing a fresh one.
  await context.addCookies(stolen);
  const res = await context.request.get("/hr", { maxRedirects: 0 });
  expect(res.status()).toBe(307);
  const session = res.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith("authjs.session-token="));
  expect(session.length).toBeGreaterThan(0);
  for (const h of session) expect(h.value).toMatch(/^authjs\.session-token=;|Expires=Thu, 01 Jan 1970/i);
});

test("changing one's password ends the user's other sessions and keeps this one", async ({ page, browser }) => {
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  try {
    await signIn(elsewhere, "hr2");
    await signIn(page, "hr2");
    const change = async (from: string, to: string) => {
      await page.goto("/account");
      await page.getByLabel("当前密码").fill(from);
      await page.getByLabel("新密码", { exact: true }).fill(to);
      await page.getByLabel("确认新密码").fill(to);
      await page.getByRole("button", { name: "保存新密码" }).click();
      await expect(page.getByText("密码已修改")).toBeVisible();
    };
    await change(PASSWORD, "hr2-new-pass-2026");
    await elsewhere.goto("/hr");
    await expect(elsewhere).toHaveURL(/\/login/);
    await page.goto("/hr");
    await expect(page).toHaveURL(/\/hr$/);
    await change("hr2-new-pass-2026", PASSWORD);
  } finally {
    await other.close();
  }
});

test("an RM cannot open the admin pages: they do not exist for them", async ({ page }) => {
  await signIn(page, "rm1");
  const res = await page.goto("/admin/users");
  expect(res?.status()).toBe(404);
  const q = await page.goto("/admin/queues");
  expect(q?.status()).toBe(404);
});
