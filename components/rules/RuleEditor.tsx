"use client";
// One rule: the version in force, the pending proposal, the editor (classification, visual condition builder and
// its JSON, the backtest preview) that proposes a new version, and the version history.
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PageTitle } from "@/components/shell/PageTitle";
import { issuesOf, useAction, type FieldIssue } from "@/components/shell/useAction";
import type { BacktestResult } from "@/lib/rules/backtest";
import type { Subject } from "@/lib/vocabulary";
import { backtestRuleAction, proposeRuleAction } from "./actions";
import { RuleQualityCard } from "@/components/insights/RuleQualityCard";
import type { RulesInsights } from "@/lib/insights/queries";
import { BacktestCard } from "./BacktestCard";
import { ConditionNode, type Feature, type Node } from "./ConditionBuilder";
import { RuleIssues, useRuleOptions, useSubjectSwitch } from "./ruleForm";
import { ActiveVersion, PendingVersion, VersionHistory } from "./RuleVersions";
import type { RuleInput, RuleVersion } from "./types";

type Meta = Omit<RuleInput, "condition">;

const META_FIELDS = ["nameZh", "nameEn", "descriptionZh", "descriptionEn", "subject", "severity", "stage", "will", "reasonFamily", "cooldownDays", "enabled"] as const;

export function RuleEditor({
  code,
  ruleId,
  selfId,
  features,
  versions,
  quality,
}: {
  code: string;
  ruleId: number;
  selfId: number;
  features: Feature[];
  versions: RuleVersion[];
  /** The rule's own warning quality over the last year, in the viewer's scope. */
  quality: RulesInsights;
}) {
  const t = useTranslations("rules");
  const { message } = App.useApp();
  const router = useRouter();
  const options = useRuleOptions();
  const active = versions.find((v) => v.status === "active") ?? null;
  const pending = versions.find((v) => v.status === "proposed") ?? null;
  const base = (pending ?? active ?? versions[0])!.input;
  const [form] = Form.useForm<Meta>();
  const [subject, setSubject] = useState<Subject>(base.subject);
  const [cond, setCond] = useState<Node>(base.condition as Node);
  const [json, setJson] = useState(JSON.stringify(base.condition, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [result, setResult] = useState<BacktestResult | null>(null);
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
  const onValuesChange = useSubjectSwitch({
    subject,
    cond,
    features,
    form,
    setSubject,
    setCond: updateCond,
    onSwitch: () => {
      setResult(null);
      setIssues([]);
    },
  });
  // The meta fields' issues go on their fields; the condition's are listed under the builder.
  const fail = (e: Error) => {
    const all = issuesOf(e);
    setIssues(all);
    form.setFields(all.filter((i) => (META_FIELDS as readonly string[]).includes(i.field)).map((i) => ({ name: i.field as keyof Meta, errors: [i.message] })));
    message.error(e.message);
  };
  const backtest = useAction(backtestRuleAction, { onSuccess: setResult, onError: fail });
  const propose = useAction(proposeRuleAction, {
    onSuccess: (r) => {
      message.success(t("proposed", { version: r.version }));
      router.refresh();
    },
    onError: fail,
  });
  const busy = backtest.isPending || propose.isPending;
  const runBacktest = () => {
    setIssues([]);
    backtest.mutate({ subject, condition: cond });
  };
  const submitProposal = async () => {
    const meta = await form.validateFields().catch(() => null);
    if (!meta) return;
    setIssues([]);
    propose.mutate({ ruleId, input: { ...meta, condition: cond } });
  };

  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Link href="/admin/rules">{t("back")}</Link>
      </Space>
      <PageTitle>
        {(active ?? versions[0])?.name} <Typography.Text type="secondary">{code}</Typography.Text>
      </PageTitle>
      <ActiveVersion active={active} />
      {pending && <PendingVersion pending={pending} active={active} selfId={selfId} />}

      <Card size="small" title={pending ? t("editorPending", { version: pending.version }) : t("editor")} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" initialValues={base} disabled={busy} onValuesChange={onValuesChange}>
          <Row gutter={16}>
            {(["nameZh", "nameEn", "descriptionZh", "descriptionEn"] as const).map((k) => (
              <Col span={6} key={k}>
                <Form.Item name={k} label={t(k)} rules={k === "nameZh" ? [{ required: true, max: 80 }] : k === "nameEn" ? [{ required: true, max: 120 }] : undefined}>
                  <Input />
                </Form.Item>
              </Col>
            ))}
            {(["subject", "severity", "stage", "will", "reasonFamily"] as const).map((k) => (
              <Col span={4} key={k}>
                <Form.Item name={k} label={t(k)}>
                  <Select options={options[k]} />
                </Form.Item>
              </Col>
            ))}
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
        <RuleIssues issues={issues} />
        <Space style={{ marginTop: 12 }}>
          <Button onClick={runBacktest} loading={busy}>
            {t("backtest")}
          </Button>
          <Button type="primary" onClick={() => void submitProposal()} loading={busy} disabled={!!pending}>
            {t("propose")}
          </Button>
          {pending && <Typography.Text type="secondary">{t("oneProposal")}</Typography.Text>}
        </Space>
      </Card>

      {result && <BacktestCard result={result} />}
      <RuleQualityCard data={quality} />
      <VersionHistory versions={versions} />
    </>
  );
}
