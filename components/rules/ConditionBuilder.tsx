"use client";
// The visual condition builder shared by the rule editor and the "new rule" form: a tree of all / any / not groups
// over comparisons of the subject's catalogue features. Plus the default condition a subject starts from.
import { Button, InputNumber, Select, Space } from "antd";
import { useTranslations } from "next-intl";
import { defaultLeaf, defaultValue, type Feature, type Node } from "@/lib/rules/builder";
import { GROUPS, OPS_BY_TYPE } from "@/lib/rules/operators";

export { defaultCondition, switchSubject, type Feature, type Node } from "@/lib/rules/builder";

function ValueInput({ feature, op, value, onChange, label }: { feature: Feature | undefined; op: string; value: unknown; onChange: (v: unknown) => void; label: string }) {
  const t = useTranslations("rules");
  if (!feature) return null;
  if (feature.type === "boolean") {
    return (
      <Select aria-label={label} style={{ width: 100 }} value={value as boolean} onChange={onChange} options={[{ value: true, label: t("true") }, { value: false, label: t("false") }]} />
    );
  }
  if (feature.type === "text") {
    const opts = (feature.values ?? []).map((v) => ({ value: v, label: v }));
    return op === "in" ? (
      <Select aria-label={label} mode="multiple" style={{ minWidth: 200 }} value={value as string[]} onChange={onChange} options={opts} />
    ) : (
      <Select aria-label={label} style={{ minWidth: 160 }} value={value as string} onChange={onChange} options={opts} />
    );
  }
  if (op === "between") {
    const [lo, hi] = Array.isArray(value) ? value : [0, 0];
    return (
      <Space.Compact>
        <InputNumber aria-label={`${label} ${t("low")}`} value={lo as number} onChange={(v) => onChange([v ?? 0, hi])} />
        <InputNumber aria-label={`${label} ${t("high")}`} value={hi as number} onChange={(v) => onChange([lo, v ?? 0])} addonAfter={feature.unit || undefined} />
      </Space.Compact>
    );
  }
  if (op === "in") {
    return (
      <Select
        aria-label={label}
        mode="tags"
        style={{ minWidth: 200 }}
        value={(Array.isArray(value) ? value : []).map(String)}
        onChange={(vs: string[]) => onChange(vs.map(Number).filter((n) => Number.isFinite(n)))}
      />
    );
  }
  return <InputNumber aria-label={label} value={value as number} onChange={(v) => onChange(v ?? 0)} addonAfter={feature.unit || undefined} />;
}

export function ConditionNode({ node, onChange, onRemove, features, depth }: { node: Node; onChange: (n: Node) => void; onRemove?: () => void; features: Feature[]; depth: number }) {
  const t = useTranslations("rules");
  const remove = onRemove ? (
    <Button size="small" danger onClick={onRemove}>
      {t("remove")}
    </Button>
  ) : null;
  const newLeaf = (): Node => defaultLeaf(features);
  if ("feature" in node) {
    const f = features.find((x) => x.key === node.feature);
    const ops = f ? OPS_BY_TYPE[f.type] : OPS_BY_TYPE.number;
    return (
      <Space wrap style={{ marginBottom: 6 }}>
        <Select
          aria-label={t("feature")}
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 220 }}
          value={node.feature}
          onChange={(k: string) => {
            const nf = features.find((x) => x.key === k);
            const op = nf && (OPS_BY_TYPE[nf.type] as readonly string[]).includes(node.op) ? node.op : (nf ? OPS_BY_TYPE[nf.type][0]! : "eq");
            onChange({ feature: k, op, value: defaultValue(nf, op) });
          }}
          options={features.map((x) => ({ value: x.key, label: x.label }))}
        />
        <Select
          aria-label={t("operator")}
          style={{ width: 110 }}
          value={node.op}
          onChange={(op: string) => onChange({ ...node, op, value: defaultValue(f, op) })}
          options={ops.map((o) => ({ value: o, label: t(`ops.${o}`) }))}
        />
        <ValueInput feature={f} op={node.op} value={node.value} label={t("value")} onChange={(value) => onChange({ ...node, value })} />
        {remove}
      </Space>
    );
  }
  const kind = "all" in node ? "all" : "any" in node ? "any" : "not";
  const children: Node[] = "all" in node ? node.all : "any" in node ? node.any : [node.not];
  const rebuild = (k: string, list: Node[]): Node => (k === "not" ? { not: list[0] ?? newLeaf() } : k === "all" ? { all: list } : { any: list });
  return (
    <div style={{ borderLeft: "3px solid #d6e4ff", padding: "6px 0 6px 12px", marginBottom: 6, background: depth % 2 ? "#fafafa" : undefined }}>
      <Space style={{ marginBottom: 6 }}>
        <Select
          aria-label={t("group")}
          style={{ width: 170 }}
          value={kind}
          onChange={(k: string) => onChange(rebuild(k, k === "not" ? children.slice(0, 1) : children))}
          options={GROUPS.map((k) => ({ value: k, label: t(`groups.${k}`) }))}
        />
        {kind !== "not" && (
          <>
            <Button size="small" onClick={() => onChange(rebuild(kind, [...children, newLeaf()]))}>
              {t("addCondition")}
            </Button>
            <Button size="small" onClick={() => onChange(rebuild(kind, [...children, { all: [newLeaf()] }]))}>
              {t("addGroup")}
            </Button>
          </>
        )}
        {remove}
      </Space>
      {children.map((c, i) => (
        <ConditionNode
          key={i}
          node={c}
          depth={depth + 1}
          features={features}
          onChange={(n) => onChange(rebuild(kind, children.map((x, j) => (j === i ? n : x))))}
          onRemove={kind !== "not" && children.length > 1 ? () => onChange(rebuild(kind, children.filter((_, j) => j !== i))) : undefined}
        />
      ))}
    </div>
  );
}
