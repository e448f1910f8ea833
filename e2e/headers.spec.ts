// Security headers on every kind of response (issue 11, finding 13), and the page's CSP really holding: Next's
// scripts carry the request's nonce, an injected inline script does not run, Bull Board loads only from here.
import { expect, signIn, test } from "./fixtures";

function csp(headers: Record<string, string>): Map<string, string[]> {
  const value = headers["content-security-policy"] ?? "";
  return new Map(value.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map((d) => [d[0]!, d.slice(1)]));
}

function expectCommon(headers: Record<string, string>, what: string) {
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("same-origin");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(csp(headers).get("frame-ancestors"), what).toEqual(["'none'"]);
  // Plain http here, and no trusted proxy: no HSTS, whatever a client claims.
  expect(headers["strict-transport-security"], what).toBeUndefined();
}

test("a page, an API answer, a static file, a public file and Bull Board all carry the security headers", async ({ page }) => {
  await signIn(page, "admin");
  const res = await page.goto("/admin");
  const h = res!.headers();
  expectCommon(h, "page");
  const nonce = /'nonce-([^']+)'/.exec(h["content-security-policy"] ?? "")?.[1];
  expect(nonce).toBeTruthy();
  expect(csp(h).get("script-src")).not.toContain("'unsafe-inline'");
  // Every script Next rendered carries this request's nonce (the browser hides the attribute, not the property).
  const nonces = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(nonces.length).toBeGreaterThan(0);
  expect(new Set(nonces)).toEqual(new Set([nonce]));
  // A fresh nonce per request.
  const again = await page.request.get("/admin");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce);

  const api = await page.request.get("/api/health", { headers: { "x-forwarded-proto": "https" } });
  expectCommon(api.headers(), "API");
  expect(csp(api.headers()).get("default-src")).toEqual(["'none'"]);

  const script = await page.locator("script[src]").first().getAttribute("src");
  expect(script).toMatch(/^\/_next\/static\//);
  const file = await page.request.get(script!);
  expect(file.status()).toBe(200);
  expectCommon(file.headers(), "static file");

  const icon = await page.request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expectCommon(icon.headers(), "public file");

  // Bull Board: its page and its own API, with nothing from another origin (the fixture aborts and reports any).
  const board = await page.goto("/admin/queues");
  expect(board!.status()).toBe(200);
  expectCommon(board!.headers(), "Bull Board");
  expect(csp(board!.headers()).get("script-src")).toEqual(["'self'"]);
  await page.waitForLoadState("networkidle");
  await expect(page.getByText("churnwatch").first()).toBeVisible();
  const fonts = await page.request.get("/admin/queues/local-fonts.css");
  expect(fonts.status()).toBe(200);
  const woff = /url\((local-fonts\/ibm-plex-sans-latin-400-normal\.woff2)\)/.exec(await fonts.text())?.[1];
  expect(woff).toBeTruthy();
  expect((await page.request.get(`/admin/queues/${woff}`)).headers()["content-type"]).toBe("font/woff2");
  expect((await page.request.get("/admin/queues/local-fonts/..%2f..%2fpackage.json")).status()).toBe(404);
});

test.describe("a script slipped into a page", () => {
  // The browser reports the refusal as a console error: expected here, and only here.
  test.use({ allowedPageProblems: [/Content Security Policy/] });

  test("does not run: the page's policy admits only scripts with its nonce", async ({ page }) => {
    await signIn(page, "rm1");
    // What a stored or reflected XSS would do: the server's HTML, with its own CSP header, carries a script without
    // the nonce.
    await page.route("**/rm", async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace("<head>", "<head><script>window.__injected = true</script>");
      await route.fulfill({ response: res, body: html });
    });
    const violation = page.waitForEvent("console", (m) => m.type() === "error" && /Content Security Policy/.test(m.text()));
    await page.goto("/rm");
    await violation;
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
    // Next's own scripts, which carry the nonce, still ran: the page hydrated.
    await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
  });
});
