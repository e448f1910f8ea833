// The report's PDF, rendered by Chromium (Playwright) inside the reports worker. The page is the print document built
// from the stored snapshot (./html.ts) and handed over with page.setContent: Chromium never opens the app, so it needs
// no session, cookie or token, and cannot be made to fetch anything (requests are refused while it renders).
import "server-only";
import { sql } from "drizzle-orm";
import { chromium, type Browser } from "playwright";
import type { Db } from "../db/client";
import { reportDocument } from "./html";
import { getReport } from "./service";

/** The flags that work on these machines (docs/STACK-NOTES): no sandbox inside containers, no GPU, no background traffic. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Renders a report document to PDF: A4, the cover, page numbers in the footer (in the report's language). */
export async function htmlToPdf(html: string, footer: string, browser?: Browser): Promise<Buffer> {
  const b = browser ?? (await launchChromium());
  try {
    const context = await b.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // Everything is inline: any request (an image, a font, a link prefetch) is refused.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load" });
    const pdf = await page.pdf({
      format: "A4",
      // The document's @page rules decide size and margins (section 1 is landscape).
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="width:100%;text-align:center;font-size:9px;color:#475569;font-family:'Noto Sans CJK SC',sans-serif">${footer}</div>`,
    });
    await context.close();
    return pdf;
  } finally {
    if (!browser) await b.close();
  }
}

/** The footer's "page x of y", with Chromium's placeholders for the numbers. */
export function pageFooter(locale: string): string {
  const page = '<span class="pageNumber"></span>';
  const pages = '<span class="totalPages"></span>';
  return locale.startsWith("zh") ? `第 ${page} 页 / 共 ${pages} 页` : `Page ${page} of ${pages}`;
}

/** The languages every revision is rendered in (the export route serves the reader's). */
export const PDF_LOCALES = ["zh-CN", "en"] as const;
export const pdfFormat = (locale: string) => `pdf:${locale.startsWith("zh") ? "zh-CN" : "en"}`;

/**
 * The worker's job: the PDFs of the report's current revision, stored in report_files. Idempotent: a revision already
 * rendered is skipped, and an older revision never overwrites a newer one.
 */
export async function renderStoredPdf(db: Db, reportId: number): Promise<{ skipped: boolean; bytes?: number; ms?: number }> {
  const r = await getReport(db, { kind: "all", contact: true }, reportId);
  if (r.status !== "ready" || !r.snapshot) return { skipped: true };
  const have = await db.execute<{ format: string; revision: number }>(sql`select format, revision from report_files where report_id = ${reportId}`);
  const todo = PDF_LOCALES.filter((l) => !have.some((h) => h.format === pdfFormat(l) && h.revision >= r.revision));
  if (!todo.length) return { skipped: true };
  const started = performance.now();
  const browser = await launchChromium();
  let bytes = 0;
  try {
    for (const locale of todo) {
      const pdf = await htmlToPdf(reportDocument(r, locale), pageFooter(locale), browser);
      bytes += pdf.length;
      await db.execute(sql`
        insert into report_files (report_id, format, revision, bytes) values (${reportId}, ${pdfFormat(locale)}, ${r.revision}, ${pdf})
        on conflict (report_id, format) do update set revision = excluded.revision, bytes = excluded.bytes, created_at = now()
        where report_files.revision < excluded.revision`);
    }
  } finally {
    await browser.close();
  }
  return { skipped: false, bytes, ms: Math.round(performance.now() - started) };
}
