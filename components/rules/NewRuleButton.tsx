"use client";
// "New rule": creates the rule with a proposed v1 (like every edit, it takes effect once another admin or
// supervisor approves it) and opens its editor, where the backtest can be run.
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Col, Form, Input, InputNumber, Row, Select, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormModal } from "@/components/shell/FormDialogs";
import { ActionError, applyIssues, issuesOf, sameNames, useAction, type FieldIssue } from "@/components/shell/useAction";
import type { Subject } from "@/lib/vocabulary";
import { createRuleAction } from "./actions";
import { ConditionNode, defaultCondition, type Feature, type Node } from "./ConditionBuilder";
import { RuleIssues, useRuleOptions, useSubjectSwitch } from "./ruleForm";
import type { RuleInput } from "./types";

type Values = Pick<RuleInput, "nameZh" | "nameEn" | "subject" | "severity" | "stage" | "will" | "reasonFamily" | "cooldownDays"> & { code: string };
const FIELDS = ["code", "nameZh", "nameEn", "subject", "severity", "stage", "will", "reasonFamily", "cooldownDays"] as const;
const INITIAL: Omit<Values, "code" | "nameZh" | "nameEn"> = { subject: "loan", severity: "medium", stage: "post_loan", will: "involuntary", reasonFamily: "funding_chain", cooldownDays: 30 };

export function NewRuleButton({ features }: { features: Feature[] }) {
  const t = useTranslations("rules");
  const terr = useTranslations("errors");
  const { message } = App.useApp();
  const router = useRouter();
  const options = useRuleOptions();
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

  const enumField = (k: "subject" | "severity" | "stage" | "will" | "reasonFamily") => (
    <Col xs={12} md={8} key={k}>
      <Form.Item name={k} label={t(k)}>
        <Select options={options[k]} />
      </Form.Item>
    </Col>
  );
  const onValuesChange = useSubjectSwitch({ subject, cond, features, form, setSubject, setCond });

  const create = useAction(createRuleAction, {
    onSuccess: (r, v) => {
      message.success(t("newRule.created", { code: v.code.trim() }));
      setOpen(false);
      router.push(`/admin/rules/${r.ruleId}`);
    },
    onError: (e) => {
      if (e instanceof ActionError && e.code === "conflict") {
        form.setFields([{ name: "code", errors: [terr("conflicts.ruleCodeTaken")] }]);
        return;
      }
      const all = issuesOf(e);
      const rest = applyIssues(form, all, sameNames(FIELDS), (i) => (i.field === "code" ? t("newRule.codeInvalid") : i.message));
      setIssues(rest.length ? rest : all.length ? [] : [{ field: "", code: "error", message: e.message }]);
    },
  });
  const submit = ({ code, ...meta }: Values) => {
    setIssues([]);
    create.mutate({ code, input: { ...meta, descriptionZh: "", descriptionEn: "", condition: cond, enabled: true } });
  };
  const busy = create.isPending;

  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={show}>
        {t("newRule.button")}
      </Button>
      <FormModal
        title={t("newRule.title")}
        open={open}
        width={880}
        onClose={() => setOpen(false)}
        onSubmit={() => form.submit()}
        submitText={t("newRule.submit")}
        busy={busy}
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
            {(["subject", "severity"] as const).map(enumField)}
            <Col xs={12} md={8}>
              <Form.Item name="cooldownDays" label={t("cooldownDays")} rules={[{ required: true, type: "integer", min: 0, max: 365, message: t("newRule.cooldownInvalid") }]}>
                <InputNumber min={0} max={365} style={{ width: "100%" }} suffix={t("newRule.daysUnit")} />
              </Form.Item>
            </Col>
            {(["stage", "will", "reasonFamily"] as const).map(enumField)}
          </Row>
        </Form>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t("condition")}
        </Typography.Title>
        <ConditionNode node={cond} onChange={setCond} features={subjectFeatures} depth={0} />
        <RuleIssues issues={issues} />
      </FormModal>
    </>
  );
}
