"use client";
// The nightly run's time of day (in the business time zone) and its next run; admins change it here, which re-schedules the
// BullMQ job scheduler at once.
import { ClockCircleOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Descriptions, Space, TimePicker, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { issuesOf, useAction } from "@/components/shell/useAction";
import { formatDateTime } from "@/lib/format";
import type { CobScheduleStatus } from "@/lib/rules/schedule";
import { setCobTimeAction } from "./actions";

export function CobSchedule({ status, canEdit }: { status: CobScheduleStatus & { redis: boolean }; canEdit: boolean }) {
  const t = useTranslations("cob");
  const { message } = App.useApp();
  const router = useRouter();
  const [value, setValue] = useState<Dayjs | null>(dayjs(`2000-01-01T${status.time}:00`));
  const [error, setError] = useState<string | null>(null);
  const picked = value?.format("HH:mm") ?? "";

  const setTime = useAction(setCobTimeAction, {
    onSuccess: (r) => {
      if (r.applied) message.success(t("timeSaved", { time: r.time, next: formatDateTime(r.next) }));
      else message.warning(t("timeSavedNotApplied", { time: r.time }));
      router.refresh();
    },
    onError: (e) => setError(issuesOf(e).some((i) => i.field === "time") ? t("timeInvalid") : e.message),
  });
  const save = () => {
    setError(null);
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(picked)) {
      setError(t("timeInvalid"));
      return;
    }
    setTime.mutate(picked);
  };

  return (
    <Card size="small" title={t("schedule")} style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t("currentTime")}>
          <span className="cw-num" data-testid="cob-time">
            {t("dailyAt", { time: status.time })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t("nextRun")}>
          <span className="cw-num" data-testid="cob-next">
            {status.next ? formatDateTime(status.next) : t("notScheduled")}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t("timeZone")}>{t("shanghai")}</Descriptions.Item>
      </Descriptions>
      {!status.redis ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("queueUnavailable")} />
      ) : !status.pattern ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("notRegistered")} />
      ) : !status.inSync ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("outOfSync", { pattern: status.pattern })} />
      ) : null}
      {canEdit ? (
        <Space orientation="vertical" size={4}>
          <Space wrap>
            <label htmlFor="cob-time-input">{t("timeLabel")}</label>
            <TimePicker
              id="cob-time-input"
              format="HH:mm"
              needConfirm={false}
              allowClear={false}
              status={error ? "error" : undefined}
              value={value}
              onChange={(v) => {
                setValue(v);
                setError(null);
              }}
              suffixIcon={<ClockCircleOutlined />}
            />
            <Button type="primary" loading={setTime.isPending} onClick={save} disabled={picked === status.time && status.inSync}>
              {t("saveTime")}
            </Button>
          </Space>
          <Typography.Text type={error ? "danger" : "secondary"} data-testid="cob-time-help">
            {error ?? t("scheduleHint")}
          </Typography.Text>
        </Space>
      ) : (
        <Typography.Text type="secondary">{t("timeAdminOnly")}</Typography.Text>
      )}
    </Card>
  );
}
