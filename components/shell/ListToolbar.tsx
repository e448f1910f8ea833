"use client";
// Above a list: what it holds (secondary text) and the button that adds to it.
import { PlusOutlined } from "@ant-design/icons";
import { Button, Space, Typography } from "antd";
import type { ReactNode } from "react";

export function ListToolbar({ hint, action, onAction }: { hint: ReactNode; action: string; onAction: () => void }) {
  return (
    <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
      <Typography.Text type="secondary">{hint}</Typography.Text>
      <Button type="primary" icon={<PlusOutlined />} onClick={onAction}>
        {action}
      </Button>
    </Space>
  );
}
