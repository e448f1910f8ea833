"use client";
// One warning: what raised it (rule version, as-of), the customer and loan, its history, and the evidence as
// labelled feature values from the feature catalogue.
import { Breadcrumb, Card, Col, Descriptions, Empty, Row, Tag, Timeline, Typography } from "antd";
import type { DescriptionsProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import type { ReactNode } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { formatDate, formatDateTime } from "@/lib/format";
import type { WarningDetail as Detail } from "@/lib/warnings/queries";
import { SEVERITY_COLOUR } from "@/lib/vocabulary";
import { SeverityTag } from "./SeverityTag";

export type FeatureLabel = { labelZh: string; labelEn: string; unit: { zh: string; en: string }; type: "number" | "boolean" | "text" };

// Evidence as the warning page and the task page show it: feature values with the catalogue's labels and units in
// the user's language; `rows` leaves out as_of (shown beside the table).
function useEvidence(features: Record<string, FeatureLabel>) {
  const t = useTranslations("warnings");
  const tc = useTranslations("common");
  const en = useLocale() === "en";
  const value = (key: string, v: unknown) => {
    const f = features[key];
    if (v === null || v === undefined) return tc("none");
    if (typeof v === "boolean" || f?.type === "boolean") return v === true || v === "true" ? t("detail.yes") : t("detail.no");
    const unit = f ? (en ? f.unit.en : f.unit.zh) : "";
    const n = typeof v === "number" ? v : typeof v === "string" && f?.type === "number" && v.trim() !== "" ? Number(v) : NaN;
    const shown = Number.isFinite(n) ? n.toLocaleString(en ? "en-US" : "zh-CN", { maximumFractionDigits: 4 }) : String(v);
    return (
      <span className="cw-num">
        {shown}
        {unit ? ` ${unit}` : ""}
      </span>
    );
  };
  const rows = (evidence: { features?: Record<string, unknown> }) =>
    Object.entries(evidence.features ?? {})
      .filter(([key]) => key !== "as_of")
      .map(([key, v]) => ({ key, label: features[key] ? (en ? features[key].labelEn : features[key].labelZh) : key, v }));
  return { value, rows };
}

/** The evidence table of one warning: a row a feature, with its label and value. */
export function EvidenceTable(p: { features: Record<string, FeatureLabel>; evidence: { features?: Record<string, unknown> }; label?: string; empty: ReactNode }) {
  const t = useTranslations("warnings");
  const { value, rows } = useEvidence(p.features);
  return (
    <DataTable
      rowKey="key"
      label={p.label}
      rows={rows(p.evidence)}
      empty={p.empty}
      columns={[
        { key: "label", title: t("detail.feature"), dataIndex: "label", render: (l: string, r) => <span title={r.key}>{l}</span> },
        { key: "value", title: t("detail.value"), align: "right", render: (_: unknown, r) => value(r.key, r.v) },
      ]}
    />
  );
}

const EVENT_COLOUR: Record<string, string> = { opened: "red", reopened: "orange", confirmed: "blue", closed: "green" };

export function WarningDetail({ detail, features }: { detail: Detail; features: Record<string, FeatureLabel> }) {
  const t = useTranslations("warnings");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const en = useLocale() === "en";
  const none = tc("none");
  const reason = (r: unknown) => {
    const key: string = `reasons.${String(r)}`;
    return typeof r === "string" && t.has(key) ? t(key) : typeof r === "string" ? r : null;
  };
  const enumLabel = (ns: string, v: string) => {
    const key: string = `${ns}.${v}`;
    return te(key);
  };

  const items: DescriptionsProps["items"] = [
    { key: "rule", label: t("detail.rule"), children: en ? detail.ruleNameEn : detail.ruleNameZh },
    { key: "ruleVersion", label: t("detail.ruleVersion"), children: `v${detail.ruleVersion}` },
    { key: "severity", label: t("columns.severity"), children: <SeverityTag value={detail.severity} /> },
    { key: "status", label: t("columns.status"), children: <Tag color={detail.status === "open" ? "volcano" : "default"}>{enumLabel("warningStatus", detail.status)}</Tag> },
    { key: "customer", label: t("detail.customer"), children: <Link href={`/customers/${detail.customerId}`}>{`${detail.customerNo} ${detail.customerName}`}</Link> },
    { key: "loan", label: t("detail.loan"), children: detail.loanId && detail.contractNo ? <Link href={`/loans/${detail.loanId}`}>{detail.contractNo}</Link> : none },
    { key: "stage", label: t("columns.stage"), children: enumLabel("churnStage", detail.stage) },
    { key: "will", label: t("columns.will"), children: enumLabel("churnWill", detail.will) },
    { key: "reasonFamily", label: t("columns.reasonFamily"), children: enumLabel("reasonFamily", detail.reasonFamily) },
    { key: "asOf", label: t("detail.asOf"), children: <span className="cw-num">{formatDate(detail.evidence.asOf ?? detail.lastSeenOn)}</span> },
    { key: "openedOn", label: t("columns.openedOn"), children: <span className="cw-num">{formatDate(detail.openedOn)}</span> },
    { key: "lastSeenOn", label: t("columns.lastSeenOn"), children: <span className="cw-num">{formatDate(detail.lastSeenOn)}</span> },
  ];
  if (detail.closedOn) {
    items.push(
      { key: "closedOn", label: t("detail.closedOn"), children: <span className="cw-num">{formatDate(detail.closedOn)}</span> },
      { key: "closeReason", label: t("detail.closeReason"), children: reason(detail.closeReason) ?? none },
    );
  }

  return (
    <>
      <Breadcrumb items={[{ title: <Link href="/warnings">{t("title")}</Link> }, { title: t("detailTitle", { id: detail.id }) }]} style={{ marginBottom: 12 }} />
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        <Tag color={SEVERITY_COLOUR[detail.severity]} style={{ verticalAlign: "middle" }}>
          {enumLabel("severity", detail.severity)}
        </Tag>
        {en ? detail.ruleNameEn : detail.ruleNameZh}
        <Typography.Text type="secondary" style={{ fontSize: 14, marginInlineStart: 8 }}>
          {t("detailTitle", { id: detail.id })}
        </Typography.Text>
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }} items={items} />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t("detail.evidence")}>
            {/* as_of is shown above; the table lists the rule's features. */}
            <EvidenceTable features={features} evidence={detail.evidence} empty={<Empty description={t("detail.noEvidence")} />} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t("detail.timeline")}>
            <Timeline
              items={detail.events.map((e) => ({
                key: e.id,
                color: EVENT_COLOUR[e.kind] ?? "gray",
                content: (
                  <>
                    <Typography.Text strong>{enumLabel("warningEvent", e.kind)}</Typography.Text>{" "}
                    <span className="cw-num">{formatDate(e.asOf)}</span>
                    <br />
                    <Typography.Text type="secondary">
                      {reason((e.detail as { reason?: unknown } | null)?.reason) ?? none} · <span className="cw-num">{formatDateTime(e.at)}</span>
                    </Typography.Text>
                  </>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
