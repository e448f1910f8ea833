"use client";
// A warning's (or a task's) severity as a coloured tag. Design: critical red, high orange, medium gold, low blue.
import { useTranslations } from "next-intl";
import { InlineTag } from "@/components/shell/StatusTag";
import { SEVERITY_COLOUR, type Severity } from "@/lib/vocabulary";

export function SeverityTag({ value }: { value: Severity }) {
  const te = useTranslations("enums");
  return <InlineTag colour={SEVERITY_COLOUR[value]}>{te(`severity.${value}`)}</InlineTag>;
}
