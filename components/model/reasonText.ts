// A reason code in words with its actual value: "近90天最大逾期天数：45 天" / "Max DPD, last 90 days: 45 days".
import { formatCount } from "@/lib/format";

export type ReasonLabel = { labelZh: string; labelEn: string; unit: { zh: string; en: string }; type: "number" | "boolean" | "text" };
export type Reason = { feature: string; value: number | string | null | undefined; points: number; aboveBest: number };

export function reasonText(r: Reason, label: ReasonLabel | undefined, en: boolean): string {
  const name = label ? (en ? label.labelEn : label.labelZh) : r.feature;
  const unit = label ? (en ? label.unit.en : label.unit.zh) : "";
  let value: string;
  if (r.value === null || r.value === undefined) value = en ? "none" : "无";
  else if (label?.type === "boolean") value = r.value === "yes" ? (en ? "yes" : "是") : en ? "no" : "否";
  else if (typeof r.value === "number") value = Number.isInteger(r.value) ? formatCount(r.value) : r.value.toLocaleString(en ? "en" : "zh-CN", { maximumFractionDigits: 4 });
  else value = String(r.value);
  const withUnit = unit && label?.type === "number" && unit !== "比例" && !unit.startsWith("share") ? `${value} ${unit}` : value;
  return `${name}${en ? ": " : "："}${withUnit}`;
}
