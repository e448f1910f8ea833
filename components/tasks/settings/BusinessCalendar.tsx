"use client";
// The business calendar's exceptions by year: weekday public holidays and weekend days worked in lieu (调休).
// Add / edit / delete through server actions (audited); the page reloads its list afterwards.
import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, DatePicker, Empty, Form, Input, Popconfirm, Radio, Select, Space, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { FormModal } from "@/components/shell/FormDialogs";
import { sameNames, useAction } from "@/components/shell/useAction";
import { useEditDialog } from "@/components/shell/useEditDialog";
import type { CalendarDay } from "@/lib/tasks/settings";
import { deleteCalendarDayAction, saveCalendarDayAction } from "./actions";

type Values = { day: Dayjs; kind: CalendarDay["kind"]; name: string };
const FIELDS = ["day", "kind", "name"] as const;
const isWeekend = (d: Dayjs) => d.day() === 0 || d.day() === 6;

export function BusinessCalendar({ days }: { days: CalendarDay[] }) {
  const t = useTranslations("taskSettings");
  const tc = useTranslations("common");
  const { message } = App.useApp();
  const router = useRouter();
  const thisYear = dayjs().year();
  const years = useMemo(() => [...new Set([thisYear - 1, thisYear, thisYear + 1, ...days.map((d) => Number(d.day.slice(0, 4)))])].sort((a, b) => a - b), [days, thisYear]);
  const [year, setYear] = useState(thisYear);
  const [form] = Form.useForm<Values>();
  const picked = Form.useWatch("day", form);
  const pickedKind = Form.useWatch("kind", form);

  const shown = days.filter((d) => d.day.startsWith(`${year}-`));
  const holidays = shown.filter((d) => d.kind === "holiday").length;

  const dialog = useEditDialog<CalendarDay, Values>({
    form,
    // Editing a day keeps its date (the date picker is disabled): saving is an upsert of that day.
    save: (v) => saveCalendarDayAction({ day: v.day.format("YYYY-MM-DD"), kind: v.kind, name: v.name.trim() }),
    onSaved: (v) => {
      void message.success(t("savedDay", { day: v.day.format("YYYY-MM-DD") }));
      setYear(v.day.year());
      router.refresh();
    },
    fieldOf: sameNames(FIELDS),
    issueText: (i) => t(`validation.${i.field as (typeof FIELDS)[number]}`),
    // Issues on no field of this form: the server's summary, not its per-field wording.
    describeRest: (_rest, e) => e.message,
  });
  const editing = dialog.editing;
  const open = (d: CalendarDay | "new") =>
    dialog.open(d, d === "new" ? { kind: "holiday", day: year === thisYear ? undefined : dayjs(`${year}-01-01`) } : { day: dayjs(d.day), kind: d.kind, name: d.name });

  const remove = useAction((d: CalendarDay) => deleteCalendarDayAction(d.day), {
    onSuccess: (_r, d) => {
      void message.success(t("deletedDay", { day: d.day }));
      router.refresh();
    },
    onError: (e) => void message.error(e.message),
  });

  const columns: TableProps<CalendarDay>["columns"] = [
    { key: "day", title: t("columns.day"), dataIndex: "day", width: 130, render: (v: string) => <span className="cw-num">{v}</span> },
    { key: "weekday", title: t("columns.weekday"), dataIndex: "day", width: 110, render: (v: string) => dayjs(v).format("dddd") },
    {
      key: "kind",
      title: t("columns.kind"),
      dataIndex: "kind",
      width: 180,
      render: (v: CalendarDay["kind"]) => <Tag color={v === "holiday" ? "red" : "blue"}>{t(`kinds.${v}`)}</Tag>,
    },
    { key: "name", title: t("columns.name"), dataIndex: "name" },
    {
      key: "actions",
      title: t("columns.actions"),
      width: 170,
      render: (_: unknown, d) => (
        <Space size={4}>
          <Button size="small" type="link" icon={<EditOutlined />} aria-label={t("editDay", { day: d.day })} onClick={() => open(d)}>
            {t("edit")}
          </Button>
          <Popconfirm title={t("deleteConfirm", { day: d.day, name: d.name })} okText={t("delete")} cancelText={tc("cancel")} okButtonProps={{ danger: true }} onConfirm={() => remove.mutate(d)}>
            <Button size="small" type="link" danger icon={<DeleteOutlined />} aria-label={t("deleteDay", { day: d.day })}>
              {t("delete")}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const hint = picked && pickedKind ? (pickedKind === "holiday" && isWeekend(picked) ? t("weekendHoliday") : pickedKind === "workday" && !isWeekend(picked) ? t("weekdayWorkday") : null) : null;

  return (
    <Card
      title={t("calendarTitle")}
      size="small"
      extra={
        <Space>
          <Select<number> aria-label={t("year")} value={year} onChange={setYear} style={{ width: 110 }} options={years.map((y) => ({ value: y, label: String(y) }))} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open("new")}>
            {t("addDay")}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t("calendarHint")} {shown.length > 0 && t("summary", { holidays, workdays: shown.length - holidays })}
      </Typography.Paragraph>
      <DataTable<CalendarDay>
        rowKey="day"
        label={t("calendarTableLabel", { year })}
        columns={columns}
        rows={shown}
        loading={remove.isPending}
        pager={{ size: 50 }}
        empty={<Empty description={t("calendarEmpty", { year })} />}
      />
      <FormModal
        {...dialog.modal}
        title={editing === "new" || editing === null ? t("addTitle") : t("editTitle", { day: editing.day })}
        submitText={t("save")}
        destroyOnHidden
        forceRender
      >
        <Form<Values> form={form} name="calendarDay" layout="vertical" onFinish={dialog.submit} aria-label={t("addTitle")}>
          <Form.Item name="day" label={t("fields.day")} rules={[{ required: true, message: t("validation.day") }]} extra={hint}>
            <DatePicker style={{ width: "100%" }} disabled={editing !== "new"} format="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="kind" label={t("fields.kind")} rules={[{ required: true, message: t("validation.kind") }]}>
            <Radio.Group
              options={[
                { value: "holiday", label: t("kinds.holiday") },
                { value: "workday", label: t("kinds.workday") },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={t("fields.name")} rules={[{ required: true, whitespace: true, max: 60, message: t("validation.name") }]}>
            <Input placeholder={t("namePlaceholder")} maxLength={60} autoComplete="off" />
          </Form.Item>
        </Form>
      </FormModal>
    </Card>
  );
}
