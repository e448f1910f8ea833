"use client";
// What a pending proposal changes against the active version, field by field: what the checker approves or rejects.
import { Typography } from "antd";
import { useTranslations } from "next-intl";
import { canonicalJson, definitionChanges, type DefinitionField } from "@/lib/rules/definition";

type Definition = Record<DefinitionField, unknown>;

export function VersionChanges({ active, activeVersion, proposed }: { active: Definition; activeVersion: number; proposed: Definition }) {
  const t = useTranslations("rules");
  const te = useTranslations("enums");
  const changes = definitionChanges(active, proposed);
  const text = (field: DefinitionField, v: unknown): string => {
    switch (field) {
      case "subject":
        return t(`subjects.${String(v)}`);
      case "severity":
        return te(`severity.${String(v)}`);
      case "stage":
        return te(`churnStage.${String(v)}`);
      case "will":
        return te(`churnWill.${String(v)}`);
      case "reasonFamily":
        return te(`reasonFamily.${String(v)}`);
      case "cooldownDays":
        return t("days", { n: Number(v) });
      case "enabled":
        return v ? t("on") : t("off");
      case "condition":
        return canonicalJson(v);
      default:
        return String(v ?? "") || "—";
    }
  };
  if (changes.length === 0) return <Typography.Paragraph style={{ marginBottom: 8 }}>{t("noChanges", { version: activeVersion })}</Typography.Paragraph>;
  return (
    <div style={{ marginBottom: 8 }} data-testid="version-changes">
      {t("changes", { version: activeVersion })}
      <ul style={{ margin: "4px 0 0" }}>
        {changes.map((c) => (
          <li key={c.field}>
            <Typography.Text strong>{t(c.field)}</Typography.Text>: <Typography.Text delete>{text(c.field, c.from)}</Typography.Text> → {text(c.field, c.to)}
          </li>
        ))}
      </ul>
    </div>
  );
}
