"use client";
// A template per import kind, with its columns (optional ones marked) in the reader's language.
import { FileExcelOutlined } from "@ant-design/icons";
import { Card, Typography } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { Hint } from "@/components/shell/PageTitle";
import { COLUMNS, columnHeader, IMPORT_KINDS } from "@/lib/imports/columns";

export function TemplatesCard() {
  const t = useTranslations("imports");
  const locale = useLocale();
  return (
    <Card size="small" title={t("templates.title")} style={{ height: "100%" }}>
      <Hint style={{ marginBottom: 8 }}>{t("templates.hint")}</Hint>
      <ul style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("templates.title")}>
        {IMPORT_KINDS.map((k) => (
          <li key={k} style={{ padding: "6px 0", borderTop: "1px solid #f0f0f0" }}>
            <a href={`/api/imports/templates/${k}`} download>
              <FileExcelOutlined aria-hidden style={{ marginRight: 6 }} />
              {t("templates.link", { kind: t(`kinds.${k}`) })}
            </a>
            <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
              {COLUMNS[k].map((c) => (c.required ? columnHeader(c, locale) : t("templates.optional", { column: columnHeader(c, locale) }))).join(locale.startsWith("zh") ? "、" : ", ")}
            </Typography.Text>
          </li>
        ))}
      </ul>
    </Card>
  );
}
