"use client";
// A warning's (or a task's) severity as a coloured tag. Design: critical red, high orange, medium gold, low blue.
import { Tag } from "antd";
import { useTranslations } from "next-intl";
import { SEVERITY_COLOUR, type Severity } from "@/lib/vocabulary";

export function SeverityTag({ value }: { value: Severity }) {
  const te = useTranslations("enums");
  return (
    <Tag color={SEVERITY_COLOUR[value]} style={{ marginInlineEnd: 0 }}>
      {te(`severity.${value}`)}
    </Tag>
  );
}
