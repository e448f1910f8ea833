"use client";
// A finished import's result: the new / changed / unchanged counts, or the errors (row, column, message) with the
// downloadable CSV report, and any warnings.
import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Row, Space, Statistic } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import { formatCount } from "@/lib/format";
import type { ImportDetail, ImportErrorView } from "@/lib/imports/view";
import { DataTable } from "@/components/shell/DataTable";

export function ImportResult({ d }: { d: ImportDetail }) {
  const t = useTranslations("imports");
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {d.status === "succeeded" && (
        <>
          <Alert
            type="success"
            showIcon
            title={d.dryRun ? t("result.dryRunSucceeded", { rows: d.rowsValidated }) : t("result.succeeded", { rows: d.rowsWritten })}
          />
          <Row gutter={[12, 12]} role="group" aria-label={t("result.countsLabel")}>
            {(
              [
                ["new", d.rowsNew],
                ["changed", d.rowsChanged],
                ["unchanged", d.rowsUnchanged],
              ] as const
            ).map(([k, v]) => (
              <Col key={k} flex="1 1 160px" data-testid={`import-${k}`}>
                <Card size="small">
                  <Statistic title={d.dryRun ? t(`result.wouldBe.${k}`) : t(`result.${k}`)} value={v} groupSeparator="," />
                </Card>
              </Col>
            ))}
          </Row>
        </>
      )}
      {d.status === "rejected" && <Rejected d={d} />}
      {d.status === "failed" && <Alert type="error" showIcon title={t("result.failed")} description={d.failure ?? undefined} />}
      {d.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t("result.warnings")}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {d.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          }
        />
      )}
    </Space>
  );
}

function Rejected({ d }: { d: ImportDetail }) {
  const t = useTranslations("imports");
  const columns: TableProps<ImportErrorView>["columns"] = [
    { key: "row", title: t("result.columns.row"), dataIndex: "row", width: 90, render: (v: number | null) => (v === null ? t("result.wholeFile") : formatCount(v)) },
    { key: "column", title: t("result.columns.column"), dataIndex: "column", width: 180, render: (v: string | null) => v ?? t("result.wholeFile") },
    { key: "message", title: t("result.columns.message"), dataIndex: "message" },
  ];
  const capped = d.errorCount > d.errors.length;
  return (
    <>
      <Alert
        type="error"
        showIcon
        title={t("result.rejected", { count: d.errorCount })}
        description={capped ? t("result.errorsCapped", { shown: d.errors.length }) : t("result.fixAndRetry")}
        action={
          <Button href={`/api/imports/${d.id}/errors.csv`} download icon={<DownloadOutlined />}>
            {t("result.downloadErrors")}
          </Button>
        }
      />
      <DataTable<ImportErrorView>
        rowKey={(r) => `${r.row ?? "file"}-${r.column ?? ""}-${r.code}-${r.message}`}
        label={t("result.errorsTable")}
        columns={columns}
        rows={d.errors}
        pager={{ size: 10, sizeChanger: false }}
      />
    </>
  );
}
