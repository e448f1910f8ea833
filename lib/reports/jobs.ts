// The reports worker's jobs: generate a requested report's snapshot, render its PDF after every change, and draft
// each branch's monthly report on the first business day of the month (Asia/Shanghai, the business calendar).
import { z } from "zod";
import { job, outboxIdsSchema as outboxIds, topic, type Domain, type TopicPlan } from "../pipeline/define";
import { loadCalendar } from "../tasks/settings";
import { businessTz, todayIn } from "../time";
import { clockNow } from "../clock";
import { isFirstBusinessDay, monthBefore } from "./period";
import { draftMonthly, generateReport, markReportFailed } from "./service";

const reportId = z.number().int().positive();
const one = z.object({ reportId });

/** One job per row, named for the report and the row (a rerun of the same row is the same job). */
const perReport =
  (consumer: string, slug: string): TopicPlan =>
  (rows) =>
    rows.map((r) => {
      const id = Number((r.payload as { reportId: number }).reportId);
      return { rowIds: [r.id], jobs: [{ name: consumer, jobId: `${slug}-${id}-${r.id}`, data: { reportId: id, outboxIds: [r.id] } }] };
    });

export const reportsDomain = {
  topics: {
    "reports.requested": topic({ schema: one, consumer: "reports.generate", plan: perReport("reports.generate", "report-generate") }),
    "reports.changed": topic({ schema: one, consumer: "reports.render", plan: perReport("reports.render", "report-render") }),
  },
  jobs: {
    "reports.generate": job({
      queue: "reports",
      schema: z.object({ reportId, outboxIds }),
      handle: async ({ reportId }, { db }) => generateReport(db, reportId, todayIn(businessTz(), await clockNow(db))),
      onFinalFailure: ({ reportId }, message, { db }) => markReportFailed(db, reportId, message),
      options: { attempts: 2 },
    }),
    // The PDF of the report's current revision, rendered by Chromium in this worker (./pdf.ts). Loaded on demand so
    // the web app, which also opens this registry, never loads Playwright.
    "reports.render": job({
      queue: "reports",
      schema: z.object({ reportId, outboxIds }),
      handle: async ({ reportId }, { db, log }) => {
        const { renderStoredPdf } = await import("./pdf");
        const r = await renderStoredPdf(db, reportId);
        log.info({ reportId, ...r }, "report pdf");
        return r;
      },
      options: { attempts: 3 },
    }),
    // Daily at 06:00 business time; only the first business day of the month drafts (holidays move it, 调休 too).
    "reports.monthly": job({
      queue: "system",
      schema: z.object({ day: z.string().optional() }),
      handle: async ({ day }, { db, log }) => {
        const today = day ?? todayIn(businessTz(), await clockNow(db));
        if (!isFirstBusinessDay(await loadCalendar(db), today)) return { drafted: 0 };
        const ids = await draftMonthly(db, monthBefore(today));
        if (ids.length) log.info({ reports: ids }, "monthly branch reports drafted");
        return { drafted: ids.length };
      },
      schedule: { id: "reports.monthly.daily", pattern: "0 6 * * *", data: {} },
    }),
  },
} satisfies Domain;
