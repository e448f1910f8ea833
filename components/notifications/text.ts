"use client";
// What a notification says, per kind, in the user's language, and when it came ("3 分钟前" / "3 minutes ago").
import { useLocale, useTranslations } from "next-intl";
import { useCallback } from "react";
import { formatDate, formatDateTime, formatYuan } from "@/lib/format";
import type { NotificationRow } from "@/lib/tasks/notifications";
import { SEVERITIES, type Severity } from "@/lib/vocabulary";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" ? v : Number(v) || 0);

export function useNotificationText() {
  const t = useTranslations("notifications");
  const te = useTranslations("enums");
  return useCallback(
    (n: NotificationRow): string => {
      const d = n.detail ?? {};
      const customer = n.customerName ?? t("someone");
      switch (n.kind) {
        case "assigned":
          return t("kinds.assigned", { customer });
        case "unassigned":
          return t("kinds.unassigned", { customer });
        case "reminder":
          return t(d.timer === "contact" ? "kinds.reminderContact" : "kinds.reminderResolve", { customer, due: formatDateTime(str(d.dueAt)) });
        case "escalated":
          if (d.timer === "contact") return t("kinds.escalatedContact", { customer });
          if (d.timer === "resolve") return t("kinds.escalatedResolve", { customer });
          return t("kinds.escalatedManual", { customer, reason: str(d.reason) });
        case "reassigned":
          return t(d.role === "from" ? "kinds.reassignedFrom" : "kinds.reassignedTo", { customer, reason: str(d.reason) });
        case "promise_broken":
          return t("kinds.promiseBroken", { customer, amount: formatYuan(num(d.amountFen)), paid: formatYuan(num(d.paidFen)), due: formatDate(str(d.dueOn)) });
        case "next_action":
          return t("kinds.nextAction", { customer, on: formatDate(str(d.on)) });
        case "digest": {
          const threshold = str(d.threshold);
          return t("kinds.digest", {
            week: formatDate(str(d.week)),
            count: num(d.count),
            customers: num(d.customers),
            fresh: num(d.new),
            threshold: SEVERITIES.includes(threshold as Severity) ? te(`severity.${threshold as Severity}`) : threshold,
          });
        }
        case "model_drift":
          return t("kinds.modelDrift", { version: num(d.version), psi: num(d.psi).toFixed(3) });
        default:
          return t("kinds.other", { customer });
      }
    },
    [t, te],
  );
}

/** "刚刚", "5 分钟前", "昨天", … within a week; the date and time after that. `nowMs` is the browser's clock. */
export function useRelativeTime() {
  const t = useTranslations("notifications");
  const locale = useLocale();
  return useCallback(
    (iso: string, nowMs: number): string => {
      const at = new Date(iso).getTime();
      if (Number.isNaN(at)) return "";
      const secs = Math.round((nowMs - at) / 1000);
      // A test run may move the server's clock ahead of the browser's: a "future" notification is simply new.
      if (secs < 60) return t("justNow");
      const rtf = new Intl.RelativeTimeFormat(locale === "en" ? "en" : "zh-CN", { numeric: "auto" });
      if (secs < 3600) return rtf.format(-Math.floor(secs / 60), "minute");
      if (secs < 86_400) return rtf.format(-Math.floor(secs / 3600), "hour");
      if (secs < 7 * 86_400) return rtf.format(-Math.floor(secs / 86_400), "day");
      return formatDateTime(iso);
    },
    [t, locale],
  );
}
