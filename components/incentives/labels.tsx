"use client";
// Labels and colours of the ledger's rules and statuses, shared by every incentive screen.
import { useTranslations } from "next-intl";
import { InlineTag } from "@/components/shell/StatusTag";

const STATUS_COLOUR: Record<string, string> = { pending: "gold", payable: "green", clawed_back: "red", adjusted: "purple" };
const SETTLEMENT_COLOUR: Record<string, string> = { awaiting: "gold", verified: "green", clawed_back: "red" };

export function EntryStatus({ value }: { value: string }) {
  const t = useTranslations("incentives");
  return <InlineTag colour={STATUS_COLOUR[value] ?? "default"}>{t(`status.${value}`)}</InlineTag>;
}

export function Settlement({ value }: { value: string | null }) {
  const t = useTranslations("incentives");
  if (!value) return null;
  return <InlineTag colour={SETTLEMENT_COLOUR[value] ?? "default"}>{t(`settlement.${value}`)}</InlineTag>;
}

export function PeriodStatus({ value }: { value: string }) {
  const t = useTranslations("incentives");
  return <InlineTag colour={value === "locked" ? "default" : "blue"}>{t(`periodStatus.${value}`)}</InlineTag>;
}

/** Points with a sign, green for gains and red for losses. */
export function Points({ value }: { value: number }) {
  const colour = value > 0 ? "#389e0d" : value < 0 ? "#cf1322" : undefined;
  return <span style={{ color: colour, fontVariantNumeric: "tabular-nums" }}>{value > 0 ? `+${value}` : value}</span>;
}
