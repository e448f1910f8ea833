import { expect, signIn, test } from "./fixtures";

test("an admin creates an RM, who can then sign in; deactivated, they cannot", async ({ page, browser }) => {
  // Four sign-ins and a password change: argon2 is deliberately slow, and the 2 cores are shared.
  test.setTimeout(240_000);
  const username = `e2e${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await page.goto("/admin/users");
  await page.getByRole("button", { name: "新建用户" }).click();
  const form = page.getByRole("dialog");
  await form.getByLabel("用户名").fill(username);
  await form.getByLabel("姓名").fill("测试经理");
  await form.getByLabel("初始密码").fill("short");
  await form.getByRole("button", { name: "创建" }).click();
  await expect(form.getByText("密码至少 10 个字符")).toBeVisible();
  await form.getByLabel("初始密码").fill("a-long-enough-pass");
  // Role defaults to RM, which needs a branch.
  await form.getByRole("button", { name: "创建" }).click();
  await expect(form.getByText("客户经理和主管必须选择所属机构")).toBeVisible();
  await form.getByLabel("所属机构").click();
  // antd renders its own option list (the role="option" nodes are screen-reader copies).
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option").first().click();
  await form.getByRole("button", { name: "创建" }).click();
  await expect(page.getByText(`已创建用户 ${username}`)).toBeVisible();

  const newcomer = await browser.newPage();
  await signIn(newcomer, username, "a-long-enough-pass");
  await expect(newcomer).toHaveURL(/\/rm$/);
  // The newcomer replaces the initial password the admin handed out.
  await newcomer.getByTestId("current-user").click();
  await newcomer.getByLabel("当前密码").fill("wrong-current-pass");
  await newcomer.getByLabel("新密码", { exact: true }).fill("my-own-secret-2026");
  await newcomer.getByLabel("确认新密码").fill("my-own-secret-2026");
  await newcomer.getByRole("button", { name: "保存新密码" }).click();
  await expect(newcomer.getByText("当前密码不正确")).toBeVisible();
  await newcomer.getByLabel("当前密码").fill("a-long-enough-pass");
  await newcomer.getByRole("button", { name: "保存新密码" }).click();
  await expect(newcomer.getByText("密码已修改")).toBeVisible();
  // The newcomer leaves the app (keeping their session cookie) while the admin deactivates them: an open app page
  // would poll the bell meanwhile and get the 401 that deactivation means, which the browser logs as an error.
  await newcomer.goto("about:blank");

  await page.getByRole("button", { name: `停用 ${username}` }).click();
  await page.getByRole("button", { name: "停用", exact: true }).last().click();
  await expect(page.getByText(`已停用 ${username}`)).toBeVisible();

  // Their open session ends at once: the next page load lands on sign-in (no redirect loop).
  await newcomer.goto("/rm");
  await expect(newcomer).toHaveURL(/\/login/);
  await expect(newcomer.getByRole("button", { name: "登录" })).toBeVisible();
  await newcomer.close();

  const again = await browser.newPage();
  await again.goto("/login");
  await again.getByLabel("用户名").fill(username);
  await again.getByLabel("密码").fill("my-own-secret-2026");
  await again.getByRole("button", { name: "登录" }).click();
  await expect(again.getByTestId("login-error")).toBeVisible();
  await again.close();
});

test("the queue view is there for admins", async ({ page }) => {
  await signIn(page, "admin");
  const res = await page.goto("/admin/queues");
  expect(res?.status()).toBe(200);
  await expect(page.getByText("system").first()).toBeVisible();
});

test("the queue view's actions work from its own page and are refused from anywhere else", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/queues");
  const action = "/admin/queues/api/queues/system/clean/completed";
  // The board's own fetch: the browser adds the page's Origin.
  expect(await page.evaluate((url) => fetch(url, { method: "PUT" }).then((r) => r.status), action)).toBe(200);
  // The same session cookie without the app's origin (a forged cross-site request, or a script outside the browser).
  expect((await page.request.put(action)).status()).toBe(403);
  expect((await page.request.put(action, { headers: { origin: "https://evil.example" } })).status()).toBe(403);
});
