"use client";
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Space, Statistic, Switch, Table, Tag, Typography } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { BarChart } from "@/components/BarChart";
import { PageTitle } from "@/components/PageTitle";
import { formatDateTime } from "@/lib/format";
import type { FieldIssue } from "@/lib/errors";
import type { BacktestResult } from "@/lib/rules/backtest";
import { approveRuleAction, backtestRuleAction, proposeRuleAction, rejectRuleAction } from "../actions";
import { SEVERITY_COLOUR } from "../RulesTable";

type FeatureType = "number" | "boolean" | "text";
type Feature = { key: string; label: string; unit: string; type: FeatureType; subject: string; values?: string[] };
type Node = { all: Node[] } | { any: Node[] } | { not: Node } | { feature: string; op: string; value: unknown };
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

const OPS_BY_TYPE: Record<FeatureType, string[]> = {
  number: ["eq", "ne", "lt", "le", "gt", "ge", "between", "in"],
  boolean: ["eq", "ne"],
  text: ["eq", "ne", "in"],
};
const STATUS_COLOUR = { proposed: "processing", active: "green", rejected: "red", superseded: "default" } as const;

function defaultValue(f: Feature | undefined, op: string): unknown {
  if (!f) return 0;
  const one = f.type === "number" ? 0 : f.type === "boolean" ? true : (f.values?.[0] ?? "");
  return op === "between" ? [0, 0] : op === "in" ? [one] : one;
}

function ValueInput({ feature, op, value, onChange, label }: { feature: Feature | undefined; op: string; value: unknown; onChange: (v: unknown) => void; label: string }) {
  const t = useTranslations("rules");
  if (!feature) return null;
  if (feature.type === "boolean") {
    return (
      <Select aria-label={label} style={{ width: 100 }} value={value as boolean} onChange={onChange} options={[{ value: true, label: t("true") }, { value: false, label: t("false") }]} />
    );
  }
  if (feature.type === "text") {
    const opts = (feature.values ?? []).map((v) => ({ value: v, label: v }));
    return op === "in" ? (
      <Select aria-label={label} mode="multiple" style={{ minWidth: 200 }} value={value as string[]} onChange={onChange} options={opts} />
    ) : (
      <Select aria-label={label} style={{ minWidth: 160 }} value={value as string} onChange={onChange} options={opts} />
    );
  }
  if (op === "between") {
    const [lo, hi] = Array.isArray(value) ? value : [0, 0];
    return (
      <Space.Compact>
        <InputNumber aria-label={`${label} ${t("low")}`} value={lo as number} onChange={(v) => onChange([v ?? 0, hi])} />
        <InputNumber aria-label={`${label} ${t("high")}`} value={hi as number} onChange={(v) => onChange([lo, v ?? 0])} addonAfter={feature.unit || undefined} />
      </Space.Compact>
    );
  }
  if (op === "in") {
    return (
      <Select
        aria-label={label}
        mode="tags"
        style={{ minWidth: 200 }}
        value={(Array.isArray(value) ? value : []).map(String)}
        onChange={(vs: string[]) => onChange(vs.map(Number).filter((n) => Number.isFinite(n)))}
      />
    );
  }
  return <InputNumber aria-label={label} value={value as number} onChange={(v) => onChange(v ?? 0)} addonAfter={feature.unit || undefined} />;
}

function ConditionNode({ node, onChange, onRemove, features, depth }: { node: Node; onChange: (n: Node) => void; onRemove?: () => void; features: Feature[]; depth: number }) {
  const t = useTranslations("rules");
  const remove = onRemove ? (
    <Button size="small" danger onClick={onRemove}>
      {t("remove")}
    </Button>
  ) : null;
  const newLeaf = (): Node => {
    const f = features[0];
    return { feature: f?.key ?? "", op: f ? OPS_BY_TYPE[f.type][0]! : "eq", value: defaultValue(f, "eq") };
  };
  if ("feature" in node) {
    const f = features.find((x) => x.key === node.feature);
    const ops = f ? OPS_BY_TYPE[f.type] : OPS_BY_TYPE.number;
    return (
      <Space wrap style={{ marginBottom: 6 }}>
        <Select
          aria-label={t("feature")}
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 220 }}
          value={node.feature}
          onChange={(k: string) => {
            const nf = features.find((x) => x.key === k);
            const op = nf && OPS_BY_TYPE[nf.type].includes(node.op) ? node.op : (nf ? OPS_BY_TYPE[nf.type][0]! : "eq");
            onChange({ feature: k, op, value: defaultValue(nf, op) });
          }}
          options={features.map((x) => ({ value: x.key, label: x.label }))}
        />
        <Select
          aria-label={t("operator")}
          style={{ width: 110 }}
          value={node.op}
          onChange={(op: string) => onChange({ ...node, op, value: defaultValue(f, op) })}
          options={ops.map((o) => ({ value: o, label: t(`ops.${o}`) }))}
        />
        <ValueInput feature={f} op={node.op} value={node.value} label={t("value")} onChange={(value) => onChange({ ...node, value })} />
        {remove}
      </Space>
    );
  }
  const kind = "all" in node ? "all" : "any" in node ? "any" : "not";
  const children: Node[] = "all" in node ? node.all : "any" in node ? node.any : [node.not];
  const rebuild = (k: string, list: Node[]): Node => (k === "not" ? { not: list[0] ?? newLeaf() } : k === "all" ? { all: list } : { any: list });
  return (
    <div style={{ borderLeft: "3px solid #d6e4ff", padding: "6px 0 6px 12px", marginBottom: 6, background: depth % 2 ? "#fafafa" : undefined }}>
      <Space style={{ marginBottom: 6 }}>
        <Select
          aria-label={t("group")}
          style={{ width: 170 }}
          value={kind}
          onChange={(k: string) => onChange(rebuild(k, k === "not" ? children.slice(0, 1) : children))}
          options={["all", "any", "not"].map((k) => ({ value: k, label: t(`groups.${k}`) }))}
        />
        {kind !== "not" && (
          <>
            <Button size="small" onClick={() => onChange(rebuild(kind, [...children, newLeaf()]))}>
              {t("addCondition")}
            </Button>
            <Button size="small" onClick={() => onChange(rebuild(kind, [...children, { all: [newLeaf()] }]))}>
              {t("addGroup")}
            </Button>
          </>
        )}
        {remove}
      </Space>
      {children.map((c, i) => (
        <ConditionNode
          key={i}
          node={c}
          depth={depth + 1}
          features={features}
          onChange={(n) => onChange(rebuild(kind, children.map((x, j) => (j === i ? n : x))))}
          onRemove={kind !== "not" && children.length > 1 ? () => onChange(rebuild(kind, children.filter((_, j) => j !== i))) : undefined}
        />
      ))}
    </div>
  );
}

const META_FIELDS = ["nameZh", "nameEn", "descriptionZh", "descriptionEn", "subject", "severity", "stage", "will", "reasonFamily", "cooldownDays", "enabled"] as const;

export function RuleEditor({ code, ruleId, selfId, features, versions }: { code: string; ruleId: number; selfId: number; features: Feature[]; versions: Version[] }) {
  const t = useTranslations("rules");
  const te = useTranslations("enums");
  const { message } = App.useApp();
  const router = useRouter();
  const [busy, start] = useTransition();
  const active = versions.find((v) => v.status === "active") ?? null;
  const pending = versions.find((v) => v.status === "proposed") ?? null;
  const base = (pending ?? active ?? versions[0])!.input;
  const [form] = Form.useForm<Omit<Input, "condition">>();
  const subject = Form.useWatch("subject", form) ?? base.subject;
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
              t("ownProposal")
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
        <Form form={form} layout="vertical" initialValues={base} disabled={busy}>
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
