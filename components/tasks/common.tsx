"use client";
// Shared bits of the task screens: the API client (JSON errors with field issues, an Idempotency-Key per user
// action), status and priority tags, the server-aligned clock and duration wording.
import { Tag } from "antd";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { Priority } from "@/lib/tasks/calendar";
import type { TaskStatus } from "@/lib/tasks/service";
import { SeverityTag } from "@/components/warnings/WarningTable";
import { durationParts } from "./sla";

export type FieldIssue = { field: string; code: string; message: string };

export class ApiError extends Error {
  constructor(
    message: string,
    public status: number,
    public code: string,
    public issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as (T & { error?: { code: string; message: string; issues?: FieldIssue[] } }) | null;
  if (!res.ok || !body) throw new ApiError(body?.error?.message ?? res.statusText, res.status, body?.error?.code ?? "http", body?.error?.issues ?? []);
  return body;
}

export async function getJson<T>(url: string): Promise<T> {
  return parse<T>(await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" }));
}

/** A fresh key per user action; randomUUID needs a secure context, getRandomValues does not. */
function idempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  return parse<T>(
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "idempotency-key": idempotencyKey() },
      body: JSON.stringify(body),
    }),
  );
}

export const STATUS_COLOUR: Record<TaskStatus, string> = {
  open: "volcano",
  acknowledged: "gold",
  in_progress: "processing",
  resolved: "success",
  cancelled: "default",
};

export function TaskStatusTag({ value }: { value: TaskStatus }) {
  const t = useTranslations("tasks.status");
  return (
    <Tag color={STATUS_COLOUR[value]} style={{ marginInlineEnd: 0 }}>
      {t(value)}
    </Tag>
  );
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

export const OUTCOMES_UI = ["retained", "restructured", "recovered", "churned", "false_alarm"] as const;
export const FOLLOW_UP_TYPES_UI = ["phone", "visit", "meeting", "message", "email", "restructuring_proposal"] as const;
