"use client";
// The list screens' filter dropdown: clearable (cleared = no filter), named for screen readers by its label, and
// searchable by option text where the options are many (branches, people, industries).
import { DatePicker, Select } from "antd";
import type { SelectProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useLocale } from "next-intl";

type Props<V extends string | number> = {
  label: string;
  placeholder?: string;
  value: V | undefined;
  onChange: (value: V | undefined) => void;
  options: { value: V; label: string }[];
  width: number;
  searchable?: boolean;
} & Pick<SelectProps, "popupMatchSelectWidth" | "disabled">;

export function FilterSelect<V extends string | number>({ label, placeholder, value, onChange, options, width, searchable, ...rest }: Props<V>) {
  return (
    <Select<V>
      aria-label={label}
      placeholder={placeholder ?? label}
      allowClear
      showSearch={searchable ? { optionFilterProp: "label" } : undefined}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      options={options}
      style={{ width }}
      {...rest}
    />
  );
}

export type BranchOption = { id: number; name: string; nameEn: string };

/** A branch filter for the screens that offer one (admins and HR; supervisors are held to their branch). */
export function BranchFilter({ label, branches, value, onChange }: { label: string; branches: BranchOption[]; value: number | undefined; onChange: (v: number | undefined) => void }) {
  const zh = useLocale() !== "en";
  return <FilterSelect<number> label={label} width={180} searchable value={value} onChange={onChange} options={branches.map((b) => ({ value: b.id, label: zh ? b.name : b.nameEn }))} />;
}

/** An inclusive range of business dates, either end open; cleared = no filter. */
export function DateRangeFilter({
  label,
  placeholder,
  from,
  to,
  onChange,
}: {
  label: string;
  placeholder: [string, string];
  from: string | undefined;
  to: string | undefined;
  onChange: (from: string | undefined, to: string | undefined) => void;
}) {
  return (
    <DatePicker.RangePicker
      aria-label={label}
      placeholder={placeholder}
      allowEmpty={[true, true]}
      value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
      onChange={(range: [Dayjs | null, Dayjs | null] | null) => onChange(range?.[0]?.format("YYYY-MM-DD"), range?.[1]?.format("YYYY-MM-DD"))}
    />
  );
}
