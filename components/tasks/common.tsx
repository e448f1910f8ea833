"use client";
// Shared bits of the task screens: status and priority tags, the server-aligned clock and duration wording.
import { Tag } from "antd";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { Priority } from "@/lib/tasks/calendar";
import type { TaskStatus } from "@/lib/vocabulary";
import { InlineTag } from "@/components/shell/StatusTag";
import { SeverityTag } from "@/components/warnings/SeverityTag";
import { durationParts } from "./sla";

export const STATUS_COLOUR: Record<TaskStatus, string> = {
  open: "volcano",
  acknowledged: "gold",
  in_progress: "processing",
  resolved: "success",
  cancelled: "default",
};

export function TaskStatusTag({ value }: { value: TaskStatus }) {
  const t = useTranslations("tasks.status");
  return <InlineTag colour={STATUS_COLOUR[value]}>{t(value)}</InlineTag>;
}

export function PriorityTag({ value }: { value: Priority }) {
  return <SeverityTag value={value} />;
}

export function EscalatedTag() {
  const t = useTranslations("tasks");
  return (
    <Tag color="red" variant="solid" style={{ marginInlineEnd: 0 }}>
      {t("escalatedFlag")}
    </Tag>
  );
}

/**
 * "Now" on the server's clock (which test runs may move), ticking every 30 s. The first render uses the server's
 * value itself, so server and browser render the same text.
 */
export function useServerNow(serverNow: string | undefined): number {
  const [tick, setTick] = useState<{ of: string; at: number } | null>(null);
  useEffect(() => {
    if (!serverNow) return;
    const offset = Date.parse(serverNow) - Date.now();
    const timer = setInterval(() => setTick({ of: serverNow, at: Date.now() + offset }), 30_000);
    return () => clearInterval(timer);
  }, [serverNow]);
  if (!serverNow) return 0;
  return tick && tick.of === serverNow ? tick.at : Date.parse(serverNow);
}

/** "2 d 3 h", "3 h 20 min", "12 min" — the two largest units. */
export function useDuration(): (ms: number) => string {
  const t = useTranslations("tasks.duration");
  return (ms) => {
    const { key, values } = durationParts(ms);
    return t(key, values);
  };
}

