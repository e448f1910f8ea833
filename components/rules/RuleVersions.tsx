"use client";
// The rule's versions: the one in force, the pending proposal (approve or reject by another editor, withdraw by its
// author) and the history of every version.
import { Alert, App, Button, Card, Descriptions, Input, Space, Tag, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { useAction } from "@/components/shell/useAction";
import { SeverityTag } from "@/components/warnings/SeverityTag";
import { formatDateTime } from "@/lib/format";
import type { RuleVersionStatus } from "@/lib/vocabulary";
import { approveRuleAction, rejectRuleAction, withdrawRuleAction } from "./actions";
import type { RuleVersion } from "./types";
import { VersionChanges } from "./VersionChanges";

const STATUS_COLOUR = { proposed: "processing", active: "green", rejected: "red", superseded: "default" } as const satisfies Record<RuleVersionStatus, string>;

export function ActiveVersion({ active }: { active: RuleVersion | null }) {
  const t = useTranslations("rules");
  const te = useTranslations("enums");
  return (
    <Card size="small" title={t("current")} style={{ marginBottom: 16 }}>
      {active ? (
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t("version")}>
            <span data-testid="active-version">v{active.version}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("severity")}>
            <SeverityTag value={active.input.severity} />
          </Descriptions.Item>
          <Descriptions.Item label={t("subject")}>{t(`subjects.${active.input.subject}`)}</Descriptions.Item>
          <Descriptions.Item label={t("stage")}>{te(`churnStage.${active.input.stage}`)}</Descriptions.Item>
          <Descriptions.Item label={t("will")}>{te(`churnWill.${active.input.will}`)}</Descriptions.Item>
          <Descriptions.Item label={t("reasonFamily")}>{te(`reasonFamily.${active.input.reasonFamily}`)}</Descriptions.Item>
          <Descriptions.Item label={t("cooldownDays")}>{t("days", { n: active.input.cooldownDays })}</Descriptions.Item>
          <Descriptions.Item label={t("enabled")}>{active.input.enabled ? t("on") : t("off")}</Descriptions.Item>
          <Descriptions.Item label={t("description")}>{active.name}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Text type="secondary">{t("noActive")}</Typography.Text>
      )}
    </Card>
  );
}

type Decision = { kind: "approve" } | { kind: "reject"; note: string } | { kind: "withdraw" };

/**
 * Maker-checker: the author may only withdraw; anyone else with the role approves or rejects (with a note), seeing
 * what the proposal changes against the version in force. A proposal of the built-in rule library says so.
 */
export function PendingVersion({ pending, active, selfId }: { pending: RuleVersion; active: RuleVersion | null; selfId: number }) {
  const t = useTranslations("rules");
  const { message } = App.useApp();
  const router = useRouter();
  const [rejectNote, setRejectNote] = useState("");
  const decide = useAction(
    (d: Decision) =>
      d.kind === "approve"
        ? approveRuleAction({ versionId: pending.id })
        : d.kind === "reject"
          ? rejectRuleAction({ versionId: pending.id, note: d.note })
          : withdrawRuleAction({ versionId: pending.id }),
    {
      onSuccess: (_r, d) => {
        message.success(t(d.kind === "approve" ? "approved" : d.kind === "reject" ? "rejected" : "withdrawn", { version: pending.version }));
        router.refresh();
      },
      onError: (e) => message.error(e.message),
    },
  );
  const busy = decide.isPending;
  return (
    <Alert
      style={{ marginBottom: 16 }}
      type="info"
      showIcon
      title={t("pendingBy", { version: pending.version, name: pending.fromLibrary ? t("library") : (pending.proposedByName ?? "—"), at: formatDateTime(pending.proposedAt) })}
      description={
        <>
          {pending.fromLibrary && <Typography.Paragraph style={{ marginBottom: 8 }}>{t("libraryProposal")}</Typography.Paragraph>}
          {active && <VersionChanges active={active.input} activeVersion={active.version} proposed={pending.input} />}
          {pending.proposedBy === selfId ? (
            <Space wrap>
              {t("ownProposal")}
              <Button loading={busy} onClick={() => decide.mutate({ kind: "withdraw" })}>
                {t("withdraw")}
              </Button>
            </Space>
          ) : (
            <Space wrap>
              <Button type="primary" loading={busy} onClick={() => decide.mutate({ kind: "approve" })}>
                {t("approve")}
              </Button>
              <Input aria-label={t("rejectNote")} placeholder={t("rejectNote")} value={rejectNote} onChange={(e) => setRejectNote(e.target.value)} style={{ width: 260 }} />
              <Button danger loading={busy} disabled={!rejectNote.trim()} onClick={() => decide.mutate({ kind: "reject", note: rejectNote })}>
                {t("reject")}
              </Button>
            </Space>
          )}
        </>
      }
    />
  );
}

export function VersionHistory({ versions }: { versions: RuleVersion[] }) {
  const t = useTranslations("rules");
  return (
    <Card size="small" title={t("history")}>
      <DataTable<RuleVersion>
        rows={versions}
        columns={[
          { title: t("version"), dataIndex: "version", render: (v: number) => `v${v}` },
          { title: t("status"), dataIndex: "status", render: (s: RuleVersion["status"]) => <Tag color={STATUS_COLOUR[s]}>{t(`statuses.${s}`)}</Tag> },
          { title: t("severity"), render: (_, v) => <SeverityTag value={v.input.severity} /> },
          { title: t("proposedBy"), render: (_, v) => `${v.fromLibrary ? t("library") : (v.proposedByName ?? t("system"))} · ${formatDateTime(v.proposedAt)}` },
          { title: t("decidedBy"), render: (_, v) => (v.decidedAt ? `${v.decidedByName ?? t("system")} · ${formatDateTime(v.decidedAt)}` : "—") },
          { title: t("note"), dataIndex: "note" },
        ]}
      />
    </Card>
  );
}
