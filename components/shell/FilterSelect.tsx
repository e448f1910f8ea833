"use client";
// The list screens' filter dropdown: clearable (cleared = no filter), named for screen readers by its label, and
// searchable by option text where the options are many (branches, people, industries).
import { Select } from "antd";
import type { SelectProps } from "antd";

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
