"use client";
// The incentive scheme: its versions, the pending proposal (approved or rejected by another HR user or admin), and a
// form that proposes a new version — every point value and window as data, taking effect from a period.
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Space, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { InlineTag } from "@/components/shell/StatusTag";
import { applyIssues, issuesOf, useAction, useKeyedAction } from "@/components/shell/useAction";
import type { Scheme } from "@/lib/incentives/scheme";
import { CHURN_KINDS } from "@/lib/vocabulary";
import { approveSchemeAction, proposeSchemeAction, rejectSchemeAction } from "./actions";

export type SchemeVersionView = { id: number; version: number; effectiveFrom: string; status: string; body: Scheme; proposedBy: number | null; proposedByName: string | null; decidedByName: string | null; note: string | null };

const STATUS_COLOUR: Record<string, string> = { active: "green", proposed: "blue", superseded: "default", rejected: "red" };

type Field = { name: (string | number)[]; min: number; max: number; step?: number };
const FIELDS: Record<string, Field> = {
  firstContact: { name: ["body", "firstContact", "points"], min: 0, max: 1000 },
  retainedBase: { name: ["body", "retained", "base"], min: 0, max: 10000 },
  retainedPerWan: { name: ["body", "retained", "perWan"], min: 0, max: 100, step: 0.01 },
  retainedCap: { name: ["body", "retained", "cap"], min: 0, max: 100000 },
  verificationDays: { name: ["body", "verification", "days"], min: 1, max: 730 },
  clawbackDays: { name: ["body", "clawback", "days"], min: 1, max: 1095 },
  slaContact: { name: ["body", "slaBreach", "contact"], min: -1000, max: 0 },
  slaResolve: { name: ["body", "slaBreach", "resolve"], min: -1000, max: 0 },
  churnPoints: { name: ["body", "churnNoFollowUp", "points"], min: -1000, max: 0 },
  churnLookback: { name: ["body", "churnNoFollowUp", "lookbackDays"], min: 1, max: 730 },
  capCustomer: { name: ["body", "caps", "perCustomer"], min: 1, max: 1000000 },
  capPeriod: { name: ["body", "caps", "perPeriod"], min: 1, max: 10000000 },
};

export function SchemeEditor({ versions, selfId, nextPeriod }: { versions: SchemeVersionView[]; selfId: number; nextPeriod: string }) {
  const t = useTranslations("incentives");
  const tk = useTranslations("enums");
  const { message } = App.useApp();
  const router = useRouter();
  const [form] = Form.useForm<{ effectiveFrom: string; note?: string; body: Scheme }>();
  const [note, setNote] = useState("");
  const current = versions.filter((v) => v.status === "active").sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
  const pending = versions.find((v) => v.status === "proposed");
  const propose = useKeyedAction(proposeSchemeAction, {
    onSuccess: (r) => {
      message.success(t("schemeProposed", { version: r.version }));
      router.refresh();
    },
    onError: (e) => {
      applyIssues(form, issuesOf(e), (f) => (f.startsWith("body.") || f === "scheme.effectiveFrom" ? (f === "scheme.effectiveFrom" ? ["effectiveFrom"] : f.split(".")) : null));
      message.error(e.message);
    },
  });
  const decide = useAction((d: { id: number; note?: string }) => (d.note === undefined ? approveSchemeAction({ versionId: d.id }) : rejectSchemeAction({ versionId: d.id, note: d.note })), {
    onSuccess: (_r, d) => {
      message.success(t(d.note === undefined ? "schemeApproved" : "schemeRejected"));
      router.refresh();
    },
    onError: (e) => message.error(e.message),
  });
  const columns: ColumnsType<SchemeVersionView> = [
    { title: t("col.version"), dataIndex: "version", render: (v: number) => `v${v}` },
    { title: t("col.effectiveFrom"), dataIndex: "effectiveFrom" },
    { title: t("col.status"), dataIndex: "status", render: (s: string) => <InlineTag colour={STATUS_COLOUR[s] ?? "default"}>{t(`versionStatus.${s}`)}</InlineTag> },
    { title: t("col.proposedBy"), dataIndex: "proposedByName", render: (n: string | null) => n ?? t("system") },
    { title: t("col.decidedBy"), dataIndex: "decidedByName" },
    { title: t("col.note"), dataIndex: "note" },
  ];
  return (
    <>
      {pending && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("schemePending", { version: pending.version, from: pending.effectiveFrom, name: pending.proposedByName ?? t("system") })}
          description={
            <>
              <SchemeSummary body={pending.body} />
              <div style={{ marginTop: 8 }}>
                {pending.proposedBy === selfId ? (
                  <Typography.Text type="secondary">{t("awaitingOther")}</Typography.Text>
                ) : (
                  <Space wrap>
                    <Button type="primary" loading={decide.isPending} onClick={() => decide.mutate({ id: pending.id })}>
                      {t("approve")}
                    </Button>
                    <Input aria-label={t("rejectNote")} placeholder={t("rejectNote")} value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 240 }} />
                    <Button danger disabled={!note.trim()} onClick={() => decide.mutate({ id: pending.id, note })}>
                      {t("reject")}
                    </Button>
                  </Space>
                )}
              </div>
            </>
          }
        />
      )}
      {current && (
        <Card size="small" title={t("schemeInForce", { version: current.version, from: current.effectiveFrom })} style={{ marginBottom: 16 }}>
          <SchemeSummary body={current.body} />
        </Card>
      )}
      <Card size="small" title={t("proposeScheme")} style={{ marginBottom: 16 }}>
        {pending ? (
          <Typography.Text type="secondary">{t("onePending")}</Typography.Text>
        ) : (
          <Form form={form} layout="vertical" initialValues={{ effectiveFrom: nextPeriod, body: current?.body }} onFinish={(v) => propose.mutate({ effectiveFrom: v.effectiveFrom, note: v.note, body: v.body })}>
            <Row gutter={16}>
              <Col flex="0 0 180px">
                <Form.Item name="effectiveFrom" label={t("col.effectiveFrom")} rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: t("periodFormat") }]}>
                  <Input placeholder="YYYY-MM" />
                </Form.Item>
              </Col>
              {Object.entries(FIELDS).map(([key, f]) => (
                <Col key={key} flex="0 0 200px">
                  <Form.Item name={f.name} label={t(`field.${key}`)} rules={[{ required: true, message: t("required") }]}>
                    <InputNumber min={f.min} max={f.max} step={f.step ?? 1} precision={f.step ? 2 : 0} style={{ width: "100%" }} />
                  </Form.Item>
                </Col>
              ))}
              <Col flex="1 1 420px">
                <Form.Item name={["body", "churnNoFollowUp", "kinds"]} label={t("field.churnKinds")} rules={[{ required: true, message: t("required") }]}>
                  <Select mode="multiple" options={CHURN_KINDS.map((k) => ({ value: k, label: tk(`churnKind.${k}`) }))} />
                </Form.Item>
              </Col>
              <Col flex="1 1 320px">
                <Form.Item name="note" label={t("col.note")}>
                  <Input maxLength={500} />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" htmlType="submit" loading={propose.isPending}>
              {t("propose")}
            </Button>
          </Form>
        )}
      </Card>
      <DataTable<SchemeVersionView> rows={versions} columns={columns} label={t("schemeVersions")} empty={t("noVersions")} />
    </>
  );
}

function SchemeSummary({ body }: { body: Scheme }) {
  const t = useTranslations("incentives");
  const tk = useTranslations("enums");
  return (
    <Descriptions size="small" column={{ xs: 1, lg: 2 }}>
      <Descriptions.Item label={t("field.firstContact")}>{body.firstContact.points}</Descriptions.Item>
      <Descriptions.Item label={t("rule.retained")}>{t("retainedFormula", { base: body.retained.base, perWan: body.retained.perWan, cap: body.retained.cap })}</Descriptions.Item>
      <Descriptions.Item label={t("field.verificationDays")}>{body.verification.days}</Descriptions.Item>
      <Descriptions.Item label={t("field.clawbackDays")}>{body.clawback.days}</Descriptions.Item>
      <Descriptions.Item label={t("rule.sla_breach")}>{`${body.slaBreach.contact} / ${body.slaBreach.resolve}`}</Descriptions.Item>
      <Descriptions.Item label={t("rule.churn_no_followup")}>{t("churnFormula", { points: body.churnNoFollowUp.points, days: body.churnNoFollowUp.lookbackDays, kinds: body.churnNoFollowUp.kinds.map((k) => tk(`churnKind.${k}`)).join("、") })}</Descriptions.Item>
      <Descriptions.Item label={t("caps")}>{t("capsFormula", { customer: body.caps.perCustomer, period: body.caps.perPeriod })}</Descriptions.Item>
    </Descriptions>
  );
}
