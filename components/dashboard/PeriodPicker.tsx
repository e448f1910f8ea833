"use client";
// The period and branch picker of the dashboard and the telemetry page: a month, quarter, year or a date range (the
// API's `period` or `from`/`to`), and for admins the branch. Texts come from the dashboard's catalogue entries.
import { DatePicker, Segmented, Select, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import quarterOfYear from "dayjs/plugin/quarterOfYear";
import { useLocale, useTranslations } from "next-intl";
import { useState, type Dispatch, type SetStateAction } from "react";
import type { Period } from "@/lib/dashboard/period";

dayjs.extend(quarterOfYear);

export type PeriodParams = { branchId?: number; period?: string; from?: string; to?: string };
export type Branch = { id: number; name: string; nameEn: string };
type Mode = "month" | "quarter" | "year" | "range";

function modeOf(p: PeriodParams): Mode {
  if (p.from) return "range";
  if (p.period && /^\d{4}$/.test(p.period)) return "year";
  if (p.period?.includes("Q")) return "quarter";
  return "month";
}

function periodString(mode: Exclude<Mode, "range">, d: Dayjs): string {
  return mode === "year" ? d.format("YYYY") : mode === "quarter" ? `${d.year()}-Q${d.quarter()}` : d.format("YYYY-MM");
}

export function PeriodPicker<P extends PeriodParams>({
  params,
  setParams,
  shown,
  branches,
  testId,
}: {
  params: P;
  setParams: Dispatch<SetStateAction<P>>;
  /** The period the figures on screen cover. */
  shown: Period;
  branches: Branch[] | null;
  testId?: string;
}) {
  const t = useTranslations("dashboard");
  const en = useLocale() === "en";
  const [mode, setMode] = useState<Mode>(modeOf(params));
  const { from, to } = shown;
  const day = dayjs(params.period ? from : to);
  // Changing the period keeps the branch and whatever else the page adds (e.g. the horizon).
  const keep = (p: P): P => ({ ...p, period: undefined, from: undefined, to: undefined });
  return (
    <Space wrap>
      {branches && (
        <Select<number>
          aria-label={t("branch")}
          style={{ width: 200 }}
          value={params.branchId ?? 0}
          onChange={(v) => setParams((p) => ({ ...p, branchId: v || undefined }))}
          options={[{ value: 0, label: t("wholeBank") }, ...branches.map((b) => ({ value: b.id, label: en ? b.nameEn : b.name }))]}
        />
      )}
      <Segmented<Mode>
        aria-label={t("periodKind")}
        value={mode}
        onChange={(m) => {
          setMode(m);
          if (m === "range") setParams((p) => ({ ...keep(p), from, to }));
          else setParams((p) => ({ ...keep(p), period: periodString(m, day) }));
        }}
        options={(["month", "quarter", "year", "range"] as const).map((m) => ({ value: m, label: t(`mode.${m}`) }))}
      />
      {mode === "range" ? (
        <DatePicker.RangePicker
          aria-label={t("range")}
          allowClear={false}
          value={[dayjs(from), dayjs(to)]}
          onChange={(v) => v?.[0] && v[1] && setParams((p) => ({ ...keep(p), from: v[0]!.format("YYYY-MM-DD"), to: v[1]!.format("YYYY-MM-DD") }))}
          disabledDate={(d) => d.isAfter(dayjs().add(1, "year"))}
        />
      ) : (
        <DatePicker
          aria-label={t("period")}
          picker={mode}
          allowClear={false}
          value={day}
          format={mode === "quarter" ? (d) => `${d.year()}-Q${d.quarter()}` : undefined}
          onChange={(d) => d && setParams((p) => ({ ...keep(p), period: periodString(mode, d) }))}
        />
      )}
      <Typography.Text type="secondary" data-testid={testId}>
        {t("periodShown", { from, to })}
      </Typography.Text>
    </Space>
  );
}
