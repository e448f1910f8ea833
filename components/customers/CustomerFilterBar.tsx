"use client";
// The customer list's filters: free-text search (number, name, credit code), branch and RM where the reader sees
// several, status, GB/T 4754 industry section, and "reset".
import { Button, Input, Space } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { FilterSelect } from "@/components/shell/FilterSelect";
import { SECTIONS } from "@/lib/reference/industries";
import { CLASSIFICATIONS, CUSTOMER_STATUSES, type Classification, type CustomerStatus } from "@/lib/vocabulary";

type Option = { id: number; name: string };
type Chosen = { branchId?: number; rmId?: number; status?: CustomerStatus; industry?: string; classification?: Classification };

export function CustomerFilterBar({
  search,
  onSearchText,
  chosen,
  update,
  branches,
  rms,
  canReset,
  onReset,
}: {
  search: string;
  onSearchText: (text: string) => void;
  chosen: Chosen;
  /** Applies a filter change (and goes back to page 1). */
  update: (patch: Chosen & { q?: string }) => void;
  branches?: Option[];
  rms?: Option[];
  canReset: boolean;
  onReset: () => void;
}) {
  const t = useTranslations("customers");
  const tc = useTranslations("common");
  const te = useTranslations("enums");
  const zh = useLocale().startsWith("zh");
  return (
    <Space wrap style={{ marginBottom: 12 }}>
      <Input.Search
        aria-label={t("searchLabel")}
        placeholder={t("searchPlaceholder")}
        allowClear
        value={search}
        onChange={(e) => {
          onSearchText(e.target.value);
          if (!e.target.value) update({ q: undefined });
        }}
        onSearch={(v) => update({ q: v.trim() || undefined })}
        enterButton={tc("search")}
        style={{ width: 360 }}
      />
      {branches && (
        <FilterSelect<number>
          label={t("filters.branch")}
          placeholder={t("filters.allBranches")}
          searchable
          value={chosen.branchId}
          onChange={(branchId) => update({ branchId })}
          options={branches.map((b) => ({ value: b.id, label: b.name }))}
          width={160}
        />
      )}
      {rms && (
        <FilterSelect<number>
          label={t("filters.rm")}
          placeholder={t("filters.allRms")}
          searchable
          value={chosen.rmId}
          onChange={(rmId) => update({ rmId })}
          options={rms.map((r) => ({ value: r.id, label: r.name }))}
          width={150}
        />
      )}
      <FilterSelect<CustomerStatus>
        label={t("filters.status")}
        placeholder={t("filters.allStatuses")}
        value={chosen.status}
        onChange={(status) => update({ status })}
        options={CUSTOMER_STATUSES.map((s) => ({ value: s, label: te(`customerStatus.${s}`) }))}
        width={130}
      />
      <FilterSelect<string>
        label={t("filters.industry")}
        placeholder={t("filters.allIndustries")}
        searchable
        value={chosen.industry}
        onChange={(industry) => update({ industry })}
        options={SECTIONS.map((s) => ({ value: s.letter, label: `${s.letter} ${zh ? s.zh : s.en}` }))}
        width={260}
        popupMatchSelectWidth={false}
      />
      <FilterSelect<Classification>
        label={t("filters.classification")}
        placeholder={t("filters.allClassifications")}
        value={chosen.classification}
        onChange={(classification) => update({ classification })}
        options={CLASSIFICATIONS.map((c) => ({ value: c, label: te(`classification.${c}`) }))}
        width={140}
      />
      <Button onClick={onReset} disabled={!canReset}>
        {tc("reset")}
      </Button>
    </Space>
  );
}
