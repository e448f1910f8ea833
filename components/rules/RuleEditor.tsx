"use client";
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Space, Statistic, Switch, Table, Tag, Typography } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { BarChart } from "@/components/charts/BarChart";
import { PageTitle } from "@/components/shell/PageTitle";
import { formatDateTime } from "@/lib/format";
import type { FieldIssue } from "@/lib/errors";
import type { BacktestResult } from "@/lib/rules/backtest";
import { approveRuleAction, backtestRuleAction, proposeRuleAction, rejectRuleAction, withdrawRuleAction } from "./actions";
import { ConditionNode, switchSubject, type Feature, type Node } from "./ConditionBuilder";
import { SEVERITY_COLOUR } from "./RulesTable";

type Input = {
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  subject: "loan" | "customer" | "application";
  condition: unknown;
  severity: "low" | "medium" | "high" | "critical";
  stage: "pre_loan" | "post_loan";
  will: "voluntary" | "involuntary";
  reasonFamily: "market_demand" | "funding_chain" | "credit_risk" | "service_competition";
  cooldownDays: number;
  enabled: boolean;
};
type Version = {
  id: number;
  version: number;
  status: "proposed" | "active" | "rejected" | "superseded";
  name: string;
  proposedBy: number | null;
  proposedByName: string | null;
  proposedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
  note: string | null;
  input: Input;
};

const STATUS_COLOUR = { proposed: "processing", active: "green", rejected: "red", superseded: "default" } as const;

const META_FIELDS = ["nameZh", "nameEn", "descriptionZh", "descriptionEn", "subject", "severity", "stage", "will", "reasonFamily", "cooldownDays", "enabled"] as const;

export function RuleEditor({ code, ruleId, selfId, features, versions }: { code: string; ruleId: number; selfId: number; features: Feature[]; versions: Version[] }) {
  const t = useTranslations("rules");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const { message, modal } = App.useApp();
  const router = useRouter();
  const [busy, start] = useTransition();
  const active = versions.find((v) => v.status === "active") ?? null;
  const pending = versions.find((v) => v.status === "proposed") ?? null;
  const base = (pending ?? active ?? versions[0])!.input;
  const [form] = Form.useForm<Omit<Input, "condition">>();
  const [subject, setSubject] = useState<Input["subject"]>(base.subject);
  const [cond, setCond] = useState<Node>(base.condition as Node);
  const [json, setJson] = useState(JSON.stringify(base.condition, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [result, setResult] = useState<BacktestResult | null>(null);
  const [rejectNote, setRejectNote] = useState("");
  const subjectFeatures = features.filter((f) => f.subject === subject);

  const updateCond = (n: Node) => {
    setCond(n);
    setJson(JSON.stringify(n, null, 2));
    setJsonError(null);
  };
  const applyJson = () => {
    try {
      updateCond(JSON.parse(json) as Node);
    } catch {
      setJsonError(t("jsonInvalid"));
    }
  };
  // Changing the subject changes which features exist: the condition is reset (after confirmation if it was edited).
  const onValuesChange = (changed: Partial<Omit<Input, "condition">>) => {
    const to = changed.subject;
    if (!to || to === subject) return;
    switchSubject({
      from: subject,
      to,
      cond,
      features,
      confirm: modal.confirm,
      text: { title: t("subjectChange.title"), content: t("subjectChange.content", { from: t(`subjects.${subject}`), to: t(`subjects.${to}`) }), ok: t("subjectChange.ok"), cancel: tc("cancel") },
      apply: (fresh) => {
        setSubject(to);
        if (fresh) updateCond(fresh);
        setResult(null);
        setIssues([]);
      },
      revert: () => form.setFieldValue("subject", subject),
    });
  };
  const fail = (e: { message: string; issues?: FieldIssue[] }) => {
    setIssues(e.issues ?? []);
    const onFields = (e.issues ?? []).filter((i) => (META_FIELDS as readonly string[]).includes(i.field));
    form.setFields(onFields.map((i) => ({ name: i.field as never, errors: [i.message] })));
    message.error(e.message);
  };
  const runBacktest = () =>
    start(async () => {
      setIssues([]);
      const r = await backtestRuleAction({ subject, condition: cond });
      if (r.ok) setResult(r.data);
      else fail(r.error);
    });
  const propose = () =>
    start(async () => {
      let meta: Omit<Input, "condition">;
      try {
        meta = await form.validateFields();
      } catch {
        return;
      }
      setIssues([]);
      const r = await proposeRuleAction({ ruleId, input: { ...meta, condition: cond } });
      if (r.ok) {
        message.success(t("proposed", { version: r.data.version }));
        router.refresh();
      } else fail(r.error);
    });
  const decide = (approve: boolean) =>
    start(async () => {
      if (!pending) return;
      const r = approve ? await approveRuleAction({ versionId: pending.id }) : await rejectRuleAction({ versionId: pending.id, note: rejectNote });
      if (r.ok) {
        message.success(approve ? t("approved", { version: pending.version }) : t("rejected", { version: pending.version }));
        router.refresh();
      } else message.error(r.error.message);
    });

  const withdraw = () =>
    start(async () => {
      if (!pending) return;
      const r = await withdrawRuleAction({ versionId: pending.id });
      if (r.ok) {
        message.success(t("withdrawn", { version: pending.version }));
        router.refresh();
      } else message.error(r.error.message);
    });

  const enumOptions = (kind: string, values: string[]) => values.map((v) => ({ value: v, label: te(`${kind}.${v}`) }));
  const sev = (s: string) => <Tag color={SEVERITY_COLOUR[s]}>{te(`severity.${s}`)}</Tag>;

  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Link href="/admin/rules">{t("back")}</Link>
      </Space>
      <PageTitle>
        {(active ?? versions[0])?.name} <Typography.Text type="secondary">{code}</Typography.Text>
      </PageTitle>

      <Card size="small" title={t("current")} style={{ marginBottom: 16 }}>
        {active ? (
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={t("version")}>
              <span data-testid="active-version">v{active.version}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("severity")}>{sev(active.input.severity)}</Descriptions.Item>
            <Descriptions.Item label={t("subject")}>{t(`subjects.${active.input.subject}`)}</Descriptions.Item>
            <Descriptions.Item label={t("stage")}>{te(`churnStage.${active.input.stage}`)}</Descriptions.Item>
            <Descriptions.Item label={t("will")}>{te(`churnWill.${active.input.will}`)}</Descriptions.Item>
            <Descriptions.Item label={t("reasonFamily")}>{te(`reasonFamily.${active.input.reasonFamily}`)}</Descriptions.Item>
            <Descriptions.Item label={t("cooldownDays")}>{t("days", { n: active.input.cooldownDays })}</Descriptions.Item>
            <Descriptions.Item label={t("enabled")}>{active.input.enabled ? t("on") : t("off")}</Descriptions.Item>
            <Descriptions.Item label={t("description")}>{active.name}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Typography.Text type="secondary">{t("noActive")}</Typography.Text>
        )}
      </Card>

      {pending && (
        <Alert
          style={{ marginBottom: 16 }}
          type="info"
          showIcon
          message={t("pendingBy", { version: pending.version, name: pending.proposedByName ?? "—", at: formatDateTime(pending.proposedAt) })}
          description={
            pending.proposedBy === selfId ? (
              <Space wrap>
                {t("ownProposal")}
                <Button loading={busy} onClick={withdraw}>
                  {t("withdraw")}
                </Button>
              </Space>
            ) : (
              <Space wrap>
                <Button type="primary" loading={busy} onClick={() => decide(true)}>
                  {t("approve")}
                </Button>
                <Input aria-label={t("rejectNote")} placeholder={t("rejectNote")} value={rejectNote} onChange={(e) => setRejectNote(e.target.value)} style={{ width: 260 }} />
                <Button danger loading={busy} disabled={!rejectNote.trim()} onClick={() => decide(false)}>
                  {t("reject")}
                </Button>
              </Space>
            )
          }
        />
      )}

      <Card size="small" title={pending ? t("editorPending", { version: pending.version }) : t("editor")} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" initialValues={base} disabled={busy} onValuesChange={onValuesChange}>
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item name="nameZh" label={t("nameZh")} rules={[{ required: true, max: 80 }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="nameEn" label={t("nameEn")} rules={[{ required: true, max: 120 }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="descriptionZh" label={t("descriptionZh")}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="descriptionEn" label={t("descriptionEn")}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="subject" label={t("subject")}>
                <Select options={["loan", "customer", "application"].map((s) => ({ value: s, label: t(`subjects.${s}`) }))} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="severity" label={t("severity")}>
                <Select options={enumOptions("severity", ["low", "medium", "high", "critical"])} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="stage" label={t("stage")}>
                <Select options={enumOptions("churnStage", ["pre_loan", "post_loan"])} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="will" label={t("will")}>
                <Select options={enumOptions("churnWill", ["voluntary", "involuntary"])} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="reasonFamily" label={t("reasonFamily")}>
                <Select options={enumOptions("reasonFamily", ["market_demand", "funding_chain", "credit_risk", "service_competition"])} />
              </Form.Item>
            </Col>
            <Col span={2}>
              <Form.Item name="cooldownDays" label={t("cooldownDays")} rules={[{ required: true, type: "integer", min: 0, max: 365 }]}>
                <InputNumber min={0} max={365} />
              </Form.Item>
            </Col>
            <Col span={2}>
              <Form.Item name="enabled" label={t("enabled")} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Row gutter={16}>
          <Col span={15}>
            <Typography.Title level={5}>{t("condition")}</Typography.Title>
            <ConditionNode node={cond} onChange={updateCond} features={subjectFeatures} depth={0} />
          </Col>
          <Col span={9}>
            <Typography.Title level={5}>{t("json")}</Typography.Title>
            <Input.TextArea aria-label={t("json")} value={json} onChange={(e) => setJson(e.target.value)} autoSize={{ minRows: 8, maxRows: 20 }} style={{ fontFamily: "monospace", fontSize: 12 }} />
            {jsonError && <Typography.Text type="danger">{jsonError}</Typography.Text>}
            <div style={{ marginTop: 8 }}>
              <Button size="small" onClick={applyJson}>
                {t("applyJson")}
              </Button>
            </div>
          </Col>
        </Row>
        {issues.length > 0 && (
          <Alert
            type="error"
            style={{ marginTop: 12 }}
            message={t("issues")}
            description={
              <ul style={{ margin: 0 }}>
                {issues.map((i, n) => (
                  <li key={n}>
                    <code>{i.field}</code>: {i.message}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <Space style={{ marginTop: 12 }}>
          <Button onClick={runBacktest} loading={busy}>
            {t("backtest")}
          </Button>
          <Button type="primary" onClick={propose} loading={busy} disabled={!!pending}>
            {t("propose")}
          </Button>
          {pending && <Typography.Text type="secondary">{t("oneProposal")}</Typography.Text>}
        </Space>
      </Card>

      {result && (
        <Card size="small" title={t("backtestTitle")} style={{ marginBottom: 16 }}>
          <Statistic title={t("today")} value={result.today} valueRender={(n) => <span data-testid="backtest-today">{n}</span>} />
          {result.step > 1 && <Typography.Paragraph type="secondary">{t("weekly", { step: result.step })}</Typography.Paragraph>}
          <BarChart categories={result.series.map((p) => p.date)} values={result.series.map((p) => p.count)} seriesName={t("flagged")} unit="" label={t("backtestTitle")} height={240} />
          <Table
            size="small"
            rowKey="subjectKey"
            pagination={false}
            dataSource={result.sample}
            locale={{ emptyText: t("noMatches") }}
            columns={[
              { title: t("subjectKey"), dataIndex: "subjectKey" },
              { title: t("customerNo"), dataIndex: "customerNo", render: (v: string | null, r) => (r.customerId ? <Link href={`/customers/${r.customerId}`}>{v}</Link> : v) },
              { title: t("customerName"), dataIndex: "customerName" },
              { title: t("contractNo"), dataIndex: "contractNo" },
            ]}
          />
        </Card>
      )}

      <Card size="small" title={t("history")}>
        <Table<Version>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={versions}
          columns={[
            { title: t("version"), dataIndex: "version", render: (v: number) => `v${v}` },
            { title: t("status"), dataIndex: "status", render: (s: Version["status"]) => <Tag color={STATUS_COLOUR[s]}>{t(`statuses.${s}`)}</Tag> },
            { title: t("severity"), render: (_, v) => sev(v.input.severity) },
            { title: t("proposedBy"), render: (_, v) => `${v.proposedByName ?? t("system")} · ${formatDateTime(v.proposedAt)}` },
            { title: t("decidedBy"), render: (_, v) => (v.decidedAt ? `${v.decidedByName ?? t("system")} · ${formatDateTime(v.decidedAt)}` : "—") },
            { title: t("note"), dataIndex: "note" },
          ]}
        />
      </Card>
    </>
  );
}
