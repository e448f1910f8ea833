"use client";
// The task's audit trail as a timeline: what happened, who did it (or the system), when, and the key detail.
import { Timeline, Typography } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { formatDateTime, formatYuan } from "@/lib/format";
import type { TaskDetail } from "@/lib/tasks/queries";

const COLOUR: Record<string, string> = {
  opened: "blue",
  escalated: "red",
  priority_raised: "orange",
  promise_broken: "red",
  promise_kept: "green",
  resolved: "green",
  cancelled: "gray",
  reminded: "orange",
};

export function EventHistory({ events, playbook }: { events: TaskDetail["events"]; playbook: TaskDetail["playbook"] }) {
  const t = useTranslations("tasks");
  const te = useTranslations("enums");
  const en = useLocale() === "en";
  const items = new Map(playbook.flatMap((s) => s.items).map((i) => [i.key, en ? i.en : i.zh]));
  const label = (kind: string) => {
    const key: string = `events.kind.${kind}`;
    return t.has(key) ? t(key) : kind;
  };
  const describe = (e: TaskDetail["events"][number]): string | null => {
    const d = e.detail ?? {};
    const parts: string[] = [];
    if (typeof d.outcome === "string" && t.has(`outcome.${d.outcome}`)) parts.push(t(`outcome.${d.outcome}`));
    if (typeof d.reason === "string") parts.push(d.reason);
    if (typeof d.note === "string" && d.note) parts.push(d.note);
    if (typeof d.type === "string" && t.has(`followUps.type.${d.type}`)) parts.push(t(`followUps.type.${d.type}`));
    if (typeof d.timer === "string" && t.has(`sla.kind.${d.timer}`)) parts.push(t(`sla.kind.${d.timer}`));
    if (e.kind === "priority_raised" && typeof d.from === "string" && typeof d.to === "string") parts.push(`${te(`severity.${d.from}`)} → ${te(`severity.${d.to}`)}`);
    if (typeof d.amountFen === "number") parts.push(t("events.amount", { amount: formatYuan(d.amountFen) }));
    if (typeof d.itemKey === "string") parts.push(items.get(d.itemKey) ?? d.itemKey);
    if (d.bulk === true) parts.push(t("events.bulk"));
    return parts.length ? parts.join(" · ") : null;
  };
  return (
    <Timeline
      items={events.map((e) => {
        const extra = describe(e);
        return {
          key: e.id,
          color: COLOUR[e.kind] ?? "gray",
          content: (
            <>
              <Typography.Text strong>{label(e.kind)}</Typography.Text> <span className="cw-num">{formatDateTime(e.at)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {" · "}
                {e.actorName ?? t("events.system")}
              </Typography.Text>
              {extra ? (
                <div>
                  <Typography.Text type="secondary">{extra}</Typography.Text>
                </div>
              ) : null}
            </>
          ),
        };
      })}
    />
  );
}
