"use client";
// An SLA countdown: time left until the deadline, or how long it is overdue. Red once overdue, orange in the last
// quarter of the window (the window starts when the task was opened).
import { ClockCircleOutlined, ExclamationCircleOutlined } from "@ant-design/icons";
import { Tooltip, Typography } from "antd";
import { useTranslations } from "next-intl";
import { formatDateTime } from "@/lib/format";
import { useDuration } from "./common";
import { slaTone } from "./sla";

export { slaTone };

export type SlaKind = "contact" | "resolve";

const COLOUR = { overdue: "#cf1322", late: "#d46b08", ok: undefined } as const;

export function SlaClock({ kind, startAt, dueAt, now, showKind = true, showDue = false }: { kind: SlaKind; startAt: string; dueAt: string; now: number; showKind?: boolean; showDue?: boolean }) {
  const t = useTranslations("tasks.sla");
  const duration = useDuration();
  const tone = slaTone(now, startAt, dueAt);
  const left = Date.parse(dueAt) - now;
  const text = tone === "overdue" ? t("overdueBy", { time: duration(left) }) : t("left", { time: duration(left) });
  return (
    <Tooltip title={t("dueAt", { at: formatDateTime(dueAt) })}>
      <span data-testid="sla-clock" data-tone={tone} style={{ color: COLOUR[tone], fontWeight: tone === "ok" ? undefined : 600, whiteSpace: "nowrap" }}>
        {tone === "ok" ? <ClockCircleOutlined /> : <ExclamationCircleOutlined />} <span className="cw-num">{text}</span>
        {showKind ? (
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400, marginInlineStart: 6 }}>
            {t(`kind.${kind}`)}
          </Typography.Text>
        ) : null}
        {showDue ? (
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400, marginInlineStart: 6 }}>
            <span className="cw-num">{t("dueShort", { at: formatDateTime(dueAt) })}</span>
          </Typography.Text>
        ) : null}
      </span>
    </Tooltip>
  );
}
