"use client";
// Typography for server pages: a server component cannot reach antd's compound parts (Typography.Title) through
// the client boundary, so pages use these instead.
import { Space, Typography } from "antd";
import type { CSSProperties, ReactNode } from "react";

export function PageTitle({ children, level = 3, style }: { children: ReactNode; level?: 3 | 4; style?: CSSProperties }) {
  return (
    <Typography.Title level={level} style={{ marginTop: 0, ...style }}>
      {children}
    </Typography.Title>
  );
}

export function Hint({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  return (
    <Typography.Paragraph type="secondary" style={style}>
      {children}
    </Typography.Paragraph>
  );
}

/** A page's title with its main action (e.g. "new …") on the right. */
export function PageHeader({ title, extra, style }: { title: ReactNode; extra?: ReactNode; style?: CSSProperties }) {
  return (
    <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12, ...style }} wrap>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {extra}
    </Space>
  );
}
