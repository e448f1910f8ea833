"use client";
// "New rule": creates the rule with a proposed v1 (like every edit, it takes effect once another admin or
// supervisor approves it) and opens its editor, where the backtest can be run.
import { PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { FieldIssue } from "@/lib/errors";
import { createRuleAction } from "./actions";
import { ConditionNode, defaultCondition, switchSubject, type Feature, type Node } from "./ConditionBuilder";

type Subject = "loan" | "customer" | "application";
type Values = {
  code: string;
  nameZh: string;
  nameEn: string;
  subject: Subject;
  severity: "low" | "medium" | "high" | "critical";
  stage: "pre_loan" | "post_loan";
  will: "voluntary" | "involuntary";
  reasonFamily: "market_demand" | "funding_chain" | "credit_risk" | "service_competition";
  cooldownDays: number;
};
const FIELDS = ["code", "nameZh", "nameEn", "subject", "severity", "stage", "will", "reasonFamily", "cooldownDays"] as const;
const INITIAL: Omit<Values, "code" | "nameZh" | "nameEn"> = { subject: "loan", severity: "medium", stage: "post_loan", will: "involuntary", reasonFamily: "funding_chain", cooldownDays: 30 };

export function NewRuleButton({ features }: { features: Feature[] }) {
  const t = useTranslations("rules");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const terr = useTranslations("errors");
  const { message, modal } = App.useApp();
  const router = useRouter();
  const [busy, start] = useTransition();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [subject, setSubject] = useState<Subject>(INITIAL.subject);
  const subjectFeatures = features.filter((f) => f.subject === subject);
  const [cond, setCond] = useState<Node>(() => defaultCondition(features.filter((f) => f.subject === INITIAL.subject)));
  const [issues, setIssues] = useState<FieldIssue[]>([]);

  const show = () => {
    form.resetFields();
    setSubject(INITIAL.subject);
    setCond(defaultCondition(features.filter((f) => f.subject === INITIAL.subject)));
    setIssues([]);
    setOpen(true);
  };

  const onValuesChange = (changed: Partial<Values>) => {
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
        if (fresh) setCond(fresh);
      },
      revert: () => form.setFieldValue("subject", subject),
    });
  };

  const submit = (v: Values) =>
    start(async () => {
      setIssues([]);
      const { code, ...meta } = v;
      const r = await createRuleAction({ code, input: { ...meta, descriptionZh: "", descriptionEn: "", condition: cond, enabled: true } });
      if (r.ok) {
        message.success(t("newRule.created", { code: code.trim() }));
        setOpen(false);
        router.push(`/admin/rules/${r.data.ruleId}`);
        return;
      }
      if (r.error.code === "conflict") {
        form.setFields([{ name: "code", errors: [terr("conflicts.ruleCodeTaken")] }]);
        return;
      }
      const all = r.error.issues ?? [];
      const onFields = all.filter((i) => (FIELDS as readonly string[]).includes(i.field));
      form.setFields(onFields.map((i) => ({ name: i.field as keyof Values, errors: [i.field === "code" ? t("newRule.codeInvalid") : i.message] })));
      const rest = all.filter((i) => !onFields.includes(i));
      setIssues(rest.length || !all.length ? (rest.length ? rest : [{ field: "", code: r.error.code, message: r.error.message }]) : []);
    });

  const enumOptions = (kind: string, values: string[]) => values.map((v) => ({ value: v, label: te(`${kind}.${v}`) }));
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={show}>
        {t("newRule.button")}
      </Button>
      <Modal
        title={t("newRule.title")}
        open={open}
        width={880}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t("newRule.submit")}
        cancelText={tc("cancel")}
        confirmLoading={busy}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t("newRule.hint")}</Typography.Paragraph>
        <Form<Values> form={form} layout="vertical" name="newRule" initialValues={INITIAL} onFinish={submit} onValuesChange={onValuesChange} disabled={busy} aria-label={t("newRule.title")}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name="code"
                label={t("code")}
                extra={t("newRule.codeHint")}
                normalize={(v: string) => v.toLowerCase()}
                rules={[
                  { required: true, message: t("newRule.codeInvalid") },
                  { pattern: /^[a-z][a-z0-9_]{1,47}$/, message: t("newRule.codeInvalid") },
                ]}
              >
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="nameZh" label={t("nameZh")} rules={[{ required: true, whitespace: true, max: 80, message: t("newRule.nameRequired") }]}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="nameEn" label={t("nameEn")} rules={[{ required: true, whitespace: true, max: 120, message: t("newRule.nameRequired") }]}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="subject" label={t("subject")}>
                <Select options={(["loan", "customer", "application"] as const).map((s) => ({ value: s, label: t(`subjects.${s}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="severity" label={t("severity")}>
                <Select options={enumOptions("severity", ["low", "medium", "high", "critical"])} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="cooldownDays" label={t("cooldownDays")} rules={[{ required: true, type: "integer", min: 0, max: 365, message: t("newRule.cooldownInvalid") }]}>
                <InputNumber min={0} max={365} style={{ width: "100%" }} suffix={t("newRule.daysUnit")} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="stage" label={t("stage")}>
                <Select options={enumOptions("churnStage", ["pre_loan", "post_loan"])} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="will" label={t("will")}>
                <Select options={enumOptions("churnWill", ["voluntary", "involuntary"])} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="reasonFamily" label={t("reasonFamily")}>
                <Select options={enumOptions("reasonFamily", ["market_demand", "funding_chain", "credit_risk", "service_competition"])} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t("condition")}
        </Typography.Title>
        <ConditionNode node={cond} onChange={setCond} features={subjectFeatures} depth={0} />
        {issues.length > 0 && (
          <Alert
            type="error"
            style={{ marginTop: 12 }}
            title={t("issues")}
            description={
              <ul style={{ margin: 0 }}>
                {issues.map((i, n) => (
                  <li key={n}>
                    {i.field ? <code>{i.field}</code> : null} {i.message}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Modal>
    </>
  );
}
