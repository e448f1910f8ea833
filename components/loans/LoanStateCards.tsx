"use client";
// The loan's state as Statistic cards: outstanding, overdue, penalty, DPD, bucket, class and prepaid principal,
// coloured by the five-category class where they signal trouble.
import { Card, Col, Row, Statistic, Typography } from "antd";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { formatCount, formatYuan } from "@/lib/format";
import { bucketKey, CLASSIFICATION_HEX } from "@/lib/loans/view";
import type { LoanState } from "./types";

export function LoanStateCards({ state }: { state: LoanState }) {
  const t = useTranslations("loanDetail");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const withYuan = (label: string) => tc("withUnit", { label, unit: t("yuan") });
  const classColour = CLASSIFICATION_HEX[state.classification];
  const danger = CLASSIFICATION_HEX.doubtful;
  const cards: { key: string; title: string; value: string; colour?: string; extra?: ReactNode }[] = [
    { key: "outstanding", title: withYuan(t("stats.outstanding")), value: formatYuan(state.outstandingPrincipalFen) },
    {
      key: "overdue",
      title: withYuan(t("stats.overdue")),
      value: formatYuan(state.overduePrincipalFen + state.overdueInterestFen),
      colour: state.overduePrincipalFen + state.overdueInterestFen > 0 ? danger : undefined,
      extra: t("stats.overdueDetail", { principal: formatYuan(state.overduePrincipalFen), interest: formatYuan(state.overdueInterestFen) }),
    },
    { key: "penalty", title: withYuan(t("stats.penalty")), value: formatYuan(state.penaltyFen), colour: state.penaltyFen > 0 ? danger : undefined },
    { key: "dpd", title: t("stats.dpd"), value: formatCount(state.dpd), colour: state.dpd > 0 ? classColour : undefined },
    { key: "bucket", title: t("stats.bucket"), value: state.bucket, colour: state.dpd > 0 ? classColour : undefined, extra: te(`bucket.${bucketKey(state.bucket)}`) },
    { key: "classification", title: t("stats.classification"), value: te(`classification.${state.classification}`), colour: classColour },
    { key: "prepaid", title: withYuan(t("stats.prepaid")), value: formatYuan(state.prepaidPrincipalFen) },
  ];
  return (
    <Row gutter={[12, 12]} role="group" aria-label={t("stats.label")}>
      {cards.map((c) => (
        <Col key={c.key} flex="1 1 170px" data-testid={`loan-stat-${c.key}`}>
          <Card size="small" style={{ height: "100%" }}>
            <Statistic
              title={c.title}
              value={c.value}
              suffix={c.key === "dpd" ? t("stats.days") : undefined}
              styles={{ content: { fontVariantNumeric: "tabular-nums", fontSize: 22, ...(c.colour ? { color: c.colour } : {}) } }}
            />
            {c.extra && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.extra}
              </Typography.Text>
            )}
          </Card>
        </Col>
      ))}
    </Row>
  );
}
