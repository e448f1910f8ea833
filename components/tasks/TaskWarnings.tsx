"use client";
// The task's warnings, most severe first, each with its evidence as labelled feature values (the feature
// catalogue's zh/en labels and units, as on the warning page).
import { Card, Collapse, Empty, Space, Tag, Typography } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { formatDate } from "@/lib/format";
import type { TaskDetail } from "@/lib/tasks/queries";
import { SeverityTag } from "@/components/warnings/SeverityTag";
import { EvidenceTable, type FeatureLabel } from "@/components/warnings/WarningDetail";

type Warning = TaskDetail["warnings"][number];

export function TaskWarnings({ warnings, features, locale }: { warnings: Warning[]; features: Record<string, FeatureLabel>; locale: string }) {
  const t = useTranslations("tasks.warnings");
  const tw = useTranslations("warnings");
  const te = useTranslations("enums");
  const en = locale === "en";

  return (
    <Card size="small" title={t("title", { n: warnings.length })}>
      {warnings.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("empty")} />
      ) : (
        <Collapse
          size="small"
          defaultActiveKey={warnings.slice(0, 2).map((w) => String(w.id))}
          items={warnings.map((w) => ({
            key: String(w.id),
            label: (
              <Space size={6} wrap>
                <SeverityTag value={w.severity} />
                <Typography.Text strong>{en ? w.ruleNameEn : w.ruleNameZh}</Typography.Text>
                {w.contractNo ? (
                  <Typography.Text type="secondary" className="cw-num">
                    {w.contractNo}
                  </Typography.Text>
                ) : null}
                <Tag color={w.status === "open" ? "volcano" : "default"} style={{ marginInlineEnd: 0 }}>
                  {te(`warningStatus.${w.status}`)}
                </Tag>
              </Space>
            ),
            extra: (
              <Link href={`/warnings/${w.id}`} onClick={(e) => e.stopPropagation()}>
                #{w.id}
              </Link>
            ),
            children: (
              <>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                  {t("meta", {
                    family: te(`reasonFamily.${w.reasonFamily}`),
                    opened: formatDate(w.openedOn),
                    lastSeen: formatDate(w.lastSeenOn),
                    asOf: formatDate(w.evidence.asOf ?? w.lastSeenOn),
                  })}
                </Typography.Paragraph>
                <EvidenceTable features={features} evidence={w.evidence} label={t("evidenceLabel", { id: w.id })} empty={tw("detail.noEvidence")} />
              </>
            ),
          }))}
        />
      )}
    </Card>
  );
}
