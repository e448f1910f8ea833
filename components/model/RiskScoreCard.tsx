"use client";
// The churn score of a customer by the active model, its band, and the top three reasons with their actual values
// and points (task page, customer page).
import { Card, Empty, Space, Tag, Typography } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { formatDate } from "@/lib/format";
import type { CustomerRisk } from "@/lib/model/queries";
import { reasonText } from "./reasonText";

export const BAND_COLOUR: Record<string, string> = { low: "green", medium: "gold", high: "red" };

export function RiskBandTag({ band }: { band: string }) {
  const te = useTranslations("enums");
  const key: string = `riskBand.${band}`;
  return (
    <Tag color={BAND_COLOUR[band] ?? "default"} data-testid="risk-band">
      {te.has(key) ? te(key) : band}
    </Tag>
  );
}

export function RiskScoreCard({ risk }: { risk: CustomerRisk | null }) {
  const t = useTranslations("model.risk");
  const en = useLocale() === "en";
  return (
    <Card size="small" title={t("title")} data-testid="risk-card">
      {risk ? (
        <Space orientation="vertical" size={8} style={{ width: "100%" }}>
          <Space wrap>
            <Typography.Text strong className="cw-num" data-testid="risk-score">
              {t("score", { score: risk.score })}
            </Typography.Text>
            <RiskBandTag band={risk.band} />
            <Typography.Text type="secondary">{t("basis", { contract: risk.contractNo, asOf: formatDate(risk.asOf), version: risk.modelVersion })}</Typography.Text>
          </Space>
          {risk.reasons.length ? (
            <div>
              <Typography.Text type="secondary">{t("reasons")}</Typography.Text>
              <ol style={{ margin: "4px 0 0", paddingInlineStart: 20 }}>
                {risk.reasons.map((r) => (
                  <li key={r.feature} data-testid="risk-reason" style={{ padding: "2px 0" }}>
                    <Space size={8} wrap>
                      <span>{reasonText(r, risk.labels[r.feature], en)}</span>
                      <Tag className="cw-num">{t("points", { points: r.aboveBest })}</Tag>
                    </Space>
                  </li>
                ))}
              </ol>
            </div>
          ) : (
            <Typography.Text type="secondary">{t("noReasons")}</Typography.Text>
          )}
        </Space>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("none")} />
      )}
    </Card>
  );
}
