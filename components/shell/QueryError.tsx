"use client";
// A list or panel whose data did not load: what failed, the server's reason, and (where it helps) a retry.
import { ReloadOutlined } from "@ant-design/icons";
import { Alert, Button } from "antd";
import { useTranslations } from "next-intl";
import type { CSSProperties } from "react";

export function QueryError({ error, title, onRetry, style }: { error: Error | null; title: string; onRetry?: () => void; style?: CSSProperties }) {
  const tc = useTranslations("common");
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={style}
      title={title}
      description={error.message}
      action={
        onRetry ? (
          <Button size="small" icon={<ReloadOutlined />} onClick={onRetry}>
            {tc("retry")}
          </Button>
        ) : undefined
      }
    />
  );
}
