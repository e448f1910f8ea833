"use client";
// A row of Statistic cards; values arrive already computed on the server.
import { Card, Col, Row, Statistic } from "antd";
import Link from "next/link";

export type StatItem = {
  key: string;
  label: string;
  value: number;
  precision?: number;
  suffix?: string;
  /** Colour the value when it signals trouble (e.g. defaulted loans). */
  tone?: "danger" | "warning";
  href?: string;
};

const TONES = { danger: "#cf1322", warning: "#d46b08" } as const;

export function StatCards({ items }: { items: StatItem[] }) {
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {items.map((i) => {
        const stat = (
          <Statistic
            title={i.label}
            value={i.value}
            precision={i.precision}
            suffix={i.suffix}
            groupSeparator=","
            styles={{ content: { fontVariantNumeric: "tabular-nums", ...(i.tone && i.value > 0 ? { color: TONES[i.tone] } : {}) } }}
          />
        );
        return (
          <Col key={i.key} flex="1 1 180px" data-testid={`stat-${i.key}`}>
            <Card size="small" hoverable={Boolean(i.href)}>
              {i.href ? (
                <Link href={i.href} style={{ color: "inherit", display: "block" }}>
                  {stat}
                </Link>
              ) : (
                stat
              )}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
