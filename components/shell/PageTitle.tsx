"use client";
// Typography for server pages: a server component cannot reach antd's compound parts (Typography.Title) through
// the client boundary, so pages use these instead.
import { Typography } from "antd";
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
