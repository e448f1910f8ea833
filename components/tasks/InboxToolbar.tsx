"use client";
// The inbox's filter bar: search, priority and reason family, the overdue / escalated toggles (with their counts),
// "clear filters", and the bulk acknowledge of the selected open tasks.
import { Button, Input, Space, Tag } from "antd";
import { useTranslations } from "next-intl";
import { FilterSelect } from "@/components/shell/FilterSelect";
import { REASON_FAMILIES, SEVERITIES_DESC } from "@/lib/vocabulary";
import { isFiltered, type Filters } from "./inboxFilters";

export function InboxToolbar({
  filters,
  counts,
  go,
  selectedOpen,
  acknowledging,
  onAcknowledge,
}: {
  filters: Filters;
  counts: { overdue: number; escalated: number } | undefined;
  /** Applies a filter change (back to page 1). */
  go: (patch: Partial<Filters>) => void;
  selectedOpen: number;
  acknowledging: boolean;
  onAcknowledge: () => void;
}) {
  const t = useTranslations("tasks");
  const te = useTranslations("enums");
  return (
    <Space wrap size={[8, 8]}>
      <Input.Search
        allowClear
        aria-label={t("inbox.search")}
        placeholder={t("inbox.search")}
        style={{ width: 260 }}
        // Uncontrolled, re-mounted when the URL's q changes (back/forward, clear filters).
        key={filters.q ?? ""}
        defaultValue={filters.q}
        onSearch={(v) => go({ q: v.trim() || undefined })}
      />
      <FilterSelect
        label={t("inbox.filters.priority")}
        width={130}
        value={filters.priority}
        onChange={(priority) => go({ priority })}
        options={SEVERITIES_DESC.map((p) => ({ value: p, label: te(`severity.${p}`) }))}
      />
      <FilterSelect
        label={t("inbox.filters.reasonFamily")}
        width={160}
        value={filters.reasonFamily}
        onChange={(reasonFamily) => go({ reasonFamily })}
        options={REASON_FAMILIES.map((f) => ({ value: f, label: te(`reasonFamily.${f}`) }))}
      />
      {(["overdue", "escalated"] as const).map((k) => (
        <Tag.CheckableTag
          key={k}
          checked={Boolean(filters[k])}
          onChange={(c) => go({ [k]: c || undefined })}
          data-testid={`inbox-filter-${k}`}
          style={{ border: "1px solid #ffa39e", padding: "2px 8px" }}
        >
          {t(`inbox.filters.${k}`, { n: counts?.[k] ?? 0 })}
        </Tag.CheckableTag>
      ))}
      {isFiltered(filters) ? (
        <Button type="link" onClick={() => go({ priority: undefined, reasonFamily: undefined, overdue: undefined, escalated: undefined, q: undefined })}>
          {t("inbox.clearFilters")}
        </Button>
      ) : null}
      <Button type="primary" disabled={selectedOpen === 0} loading={acknowledging} onClick={onAcknowledge}>
        {t("inbox.bulkAcknowledge", { n: selectedOpen })}
      </Button>
    </Space>
  );
}
