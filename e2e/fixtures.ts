// The one `test` every spec imports: besides Playwright's own fixtures it watches every browser context a test opens
// (its `page`, and pages from browser.newPage()/newContext()) and fails the test on a page error, a console error
// (a React hydration mismatch, a CSP violation and a failed resource load are console errors), a request that
// failed, a 5xx answer, or any request to another host. Chromium resolves no host but the app's (playwright.config.ts,
// --host-resolver-rules), so such a request fails as it would on a bank's network; routing every request through
// Playwright instead would turn off the browser's cache and slow every page down.
import { test as base, expect, type Browser, type BrowserContext, type ConsoleMessage, type Page, type Request } from "@playwright/test";

export { expect };

export const PASSWORD = "demo-pass-2026";

// Demo users of the seeded e2e database (npm run seed -- --customers 320 --seed 7; as-of today, the business date).
// 320 customers: still the same 8 RMs (one per 40, two per branch at least) as 120 gave, and since only warnings of
// medium severity or more open a task (about one customer in eight), enough tasks for every RM of every branch.
export const HOMES = {
  admin: { path: "/admin", roleZh: "管理员" },
  hr1: { path: "/hr", roleZh: "人力" },
  sup1: { path: "/supervisor", roleZh: "主管" },
  rm1: { path: "/rm", roleZh: "客户经理" },
} as const;

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** What a test saw go wrong in its browsers; the fixture fails the test if any of it is left. */
export class PageProblems {
  readonly problems: string[] = [];
  // Main-document URLs that answered 4xx on purpose (a not-found or forbidden page the test asked for): the
  // browser logs "Failed to load resource" for the document itself, which is the page working as designed.
  private readonly refusedDocuments = new Set<string>();
  private readonly watched = new WeakSet<BrowserContext>();

  constructor(private readonly allowed: RegExp[]) {}

  private add(kind: string, text: string, where?: string): void {
    const line = `${kind}: ${text}${where ? ` (at ${where})` : ""}`;
    if (this.allowed.some((re) => re.test(line))) return;
    this.problems.push(line);
  }

  private console(msg: ConsoleMessage): void {
    if (msg.type() !== "error") return;
    const where = msg.location().url;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()) && this.refusedDocuments.has(where)) return;
    this.add("console error", msg.text(), where || msg.page()?.url());
  }

  watch(context: BrowserContext): void {
    if (this.watched.has(context)) return;
    this.watched.add(context);
    context.on("console", (m) => this.console(m));
    context.on("weberror", (e) => this.add("page error", e.error().stack ?? e.error().message, e.page()?.url()));
    context.on("response", (r) => {
      const req = r.request();
      if (r.status() >= 500) this.add(`HTTP ${r.status()}`, `${req.method()} ${r.url()}`);
      else if (r.status() >= 400 && req.isNavigationRequest() && req.frame().parentFrame() === null) this.refusedDocuments.add(r.url());
    });
    context.on("request", (r) => {
      const url = r.url();
      if (/^(https?|wss?):/.test(url) && !LOCAL_HOSTS.has(safeHost(url))) this.add("request to another host", `${r.method()} ${url}`, r.isNavigationRequest() ? undefined : safeFrameUrl(r));
    });
    context.on("requestfailed", (r) => {
      if (!LOCAL_HOSTS.has(safeHost(r.url()))) return; // reported by the request listener
      // ERR_ABORTED is the browser cancelling (a navigation away, a superseded prefetch), not a failure.
      const failure = r.failure()?.errorText ?? "";
      if (failure.includes("ERR_ABORTED")) return;
      this.add("request failed", `${r.method()} ${r.url()} ${failure}`);
    });
  }
}

// A service worker's request has no frame (frame() throws).
function safeFrameUrl(r: Request): string | undefined {
  try {
    return r.frame().url();
  } catch {
    return undefined;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

type Fixtures = {
  /** Problems a spec expects on purpose, matched against "kind: text (at url)"; set with test.use(). */
  allowedPageProblems: RegExp[];
  pageProblems: PageProblems;
};

export const test = base.extend<Fixtures>({
  allowedPageProblems: [[], { option: true }],
  pageProblems: [
    async ({ browser, context, allowedPageProblems }, provide) => {
      const problems = new PageProblems(allowedPageProblems);
      problems.watch(context);
      // Contexts and pages a test opens itself are watched too.
      const b = browser as Browser & { newContext: Browser["newContext"] };
      const newContext = b.newContext;
      b.newContext = async (...args) => {
        const c = await newContext.apply(b, args);
        problems.watch(c);
        return c;
      };
      try {
        await provide(problems);
      } finally {
        b.newContext = newContext;
      }
      expect(problems.problems, "the pages logged errors or reached outside").toEqual([]);
    },
    { auto: true },
  ],
});

export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  // The first sign-ins after the server starts also render their home page cold (its modules load on first use).
  await expect(page).not.toHaveURL(/\/login/, { timeout: 30_000 });
}

/** A customer id owned by `username`, read from the list as that user sees it. */
export async function firstCustomerHref(page: Page): Promise<string> {
  await page.goto("/customers");
  const link = page.locator('a[href^="/customers/"]').first();
  await expect(link).toBeVisible();
  return (await link.getAttribute("href"))!;
}
