"use client";
// The customer page's churn card (the customer's churn events, what re-derivation removed and why, churned / won-back
// days) and contact log (latest contacts, routine or on tasks, and the "log contact" action for RMs, supervisors and
// admins). Contact person and notes arrive empty for HR (contactField).
import { PhoneOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Select, Space, Tag, Timeline, Typography } from "antd";
import type { TableProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ReasonCell, CHURN_STATUS_COLOUR } from "@/components/churn/ChurnEventTable";
import { DataTable } from "@/components/shell/DataTable";
import { ActionError, applyIssues, useKeyedAction } from "@/components/shell/useAction";
import type { ChurnEventRow } from "@/lib/churn/queries";
import type { ContactInput, ContactRow } from "@/lib/customers/contact";
import { formatDate, formatDateTime, formatYuan } from "@/lib/format";
import type { Keyed } from "@/lib/http/action";
import type { ChurnEventStatus, ChurnKind } from "@/lib/vocabulary";
import { logContactAction } from "./actions";

const CONTACT_TYPES = ["visit", "phone", "meeting", "message", "email"] as const;

export type Removal = { kind: ChurnKind; reason: string; asOf: string; effectiveOn: string };

export function CustomerChurnCard({ events, removals, churnedOn, wonBackOn }: { events: ChurnEventRow[]; removals: Removal[]; churnedOn: string | null; wonBackOn: string | null }) {
  const t = useTranslations("churn");
  const te = useTranslations("enums");
  const columns: NonNullable<TableProps<ChurnEventRow>["columns"]> = [
    { key: "effectiveOn", title: t("columns.effectiveOn"), dataIndex: "effectiveOn", width: 110, render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
    { key: "kind", title: t("columns.kind"), dataIndex: "kind", width: 150, render: (v: ChurnKind) => te(`churnKind.${v}`) },
    {
      key: "subject",
      title: t("columns.subject"),
      width: 140,
      render: (_: unknown, r) => (r.loanId && r.contractNo ? <Link href={`/loans/${r.loanId}`}>{r.contractNo}</Link> : (r.applicationNo ?? "—")),
    },
    { key: "will", title: t("columns.will"), dataIndex: "will", width: 100, render: (v: string) => te(`churnWill.${v}`) },
    { key: "reasonFamily", title: t("columns.reasonFamily"), width: 170, render: (_: unknown, r) => <ReasonCell row={r} /> },
    { key: "exposure", title: t("columns.exposure"), dataIndex: "exposureFen", width: 130, align: "right", render: (v: number) => <span className="cw-num">{formatYuan(v)}</span> },
    { key: "status", title: t("columns.status"), dataIndex: "status", width: 100, render: (v: ChurnEventStatus) => <Tag color={CHURN_STATUS_COLOUR[v]}>{te(`churnEventStatus.${v}`)}</Tag> },
  ];
  return (
    <Card title={t("cardTitle")} size="small" extra={<Link href="/churn">{t("allEvents")}</Link>}>
      {churnedOn || wonBackOn ? (
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 12 }}
          items={[
            ...(churnedOn ? [{ key: "churnedOn", label: t("churnedOn"), children: <span className="cw-num">{formatDate(churnedOn)}</span> }] : []),
            ...(wonBackOn ? [{ key: "wonBackOn", label: t("wonBackOn"), children: <span className="cw-num">{formatDate(wonBackOn)}</span> }] : []),
          ]}
        />
      ) : null}
      {/* No events: the empty text alone. An empty antd table with scroll.x measures its empty row after hydration and
          grows 16 px, which moved the loans table under a click aimed at its contract link (the row expanded instead). */}
      {events.length ? (
        <DataTable<ChurnEventRow> label={t("cardTitle")} columns={columns} rows={events} scroll={{ x: 900 }} />
      ) : (
        <Typography.Text type="secondary">{t("cardEmpty")}</Typography.Text>
      )}
      {removals.length ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {removals.map((r, i) => (
            <span key={i} style={{ display: "block" }}>
              {t("removed", { kind: te(`churnKind.${r.kind}`), effectiveOn: formatDate(r.effectiveOn), asOf: formatDate(r.asOf), reason: t(`removalReason.${r.reason}`) })}
            </span>
          ))}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}

type Values = { type: (typeof CONTACT_TYPES)[number]; occurredAt?: Dayjs | null; contactPerson?: string; notes: string; result?: string };

export function ContactLog({ customerId, contacts, canLog }: { customerId: number; contacts: ContactRow[]; canLog: boolean }) {
  const t = useTranslations("contacts");
  const tf = useTranslations("tasks.followUps");
  const { message } = App.useApp();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const save = useKeyedAction((req: Keyed<ContactInput>) => logContactAction(req), {
    onSuccess: () => {
      void message.success(t("saved"));
      setOpen(false);
      form.resetFields();
      router.refresh();
    },
    onError: (e) => {
      if (e instanceof ActionError && e.issues.length) {
        const rest = applyIssues(form, e.issues, (f) => (["type", "occurredAt", "contactPerson", "notes", "result"].includes(f) ? [f] : null));
        setError(rest.length ? rest.map((i) => i.message).join("; ") : null);
      } else setError(e.message);
    },
  });
  const submit = (v: Values) => {
    setError(null);
    const body: ContactInput = { customerId, type: v.type, notes: v.notes.trim() };
    if (v.occurredAt && form.isFieldTouched("occurredAt")) body.occurredAt = v.occurredAt.toISOString();
    if (v.contactPerson?.trim()) body.contactPerson = v.contactPerson.trim();
    if (v.result?.trim()) body.result = v.result.trim();
    save.mutate(body);
  };
  const typeLabel = (type: string) => {
    const key = `type.${type}`;
    return tf.has(key) ? tf(key) : type;
  };
  return (
    <Card
      title={t("title")}
      size="small"
      extra={
        canLog ? (
          <Button size="small" icon={<PhoneOutlined />} onClick={() => setOpen(true)}>
            {t("log")}
          </Button>
        ) : null
      }
    >
      {contacts.length === 0 ? (
        <Empty description={t("empty")} />
      ) : (
        <Timeline
          items={contacts.map((c) => ({
            key: c.id,
            content: (
              <Space orientation="vertical" size={0}>
                <span>
                  <Tag>{typeLabel(c.type)}</Tag>
                  <span className="cw-num">{formatDateTime(c.occurredAt)}</span> · {c.authorName}
                  {c.taskId ? (
                    <>
                      {" "}
                      · <Link href={`/tasks/${c.taskId}`}>{t("onTask", { id: c.taskId })}</Link>
                    </>
                  ) : (
                    <Tag style={{ marginInlineStart: 6 }}>{t("routine")}</Tag>
                  )}
                </span>
                {c.contactPerson ? <Typography.Text type="secondary">{c.contactPerson}</Typography.Text> : null}
                {c.notes ? <Typography.Text>{c.notes}</Typography.Text> : null}
              </Space>
            ),
          }))}
        />
      )}
      <Modal open={open} title={t("log")} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={t("save")} confirmLoading={save.isPending} destroyOnHidden>
        <Form<Values> form={form} layout="vertical" initialValues={{ type: "visit", occurredAt: dayjs() }} onFinish={submit}>
          <Form.Item name="type" label={t("type")}>
            <Select aria-label={t("type")} options={CONTACT_TYPES.map((v) => ({ value: v, label: typeLabel(v) }))} />
          </Form.Item>
          <Form.Item name="occurredAt" label={t("occurredAt")}>
            <DatePicker showTime aria-label={t("occurredAt")} disabledDate={(d) => d.isAfter(dayjs().endOf("day"))} />
          </Form.Item>
          <Form.Item name="contactPerson" label={t("contactPerson")}>
            <Input aria-label={t("contactPerson")} maxLength={100} />
          </Form.Item>
          <Form.Item name="notes" label={t("notes")} rules={[{ required: true, whitespace: true, message: t("notesRequired") }]}>
            <Input.TextArea aria-label={t("notes")} rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="result" label={t("result")}>
            <Input aria-label={t("result")} maxLength={500} />
          </Form.Item>
          {error ? <Alert type="error" showIcon title={error} /> : null}
        </Form>
      </Modal>
    </Card>
  );
}
