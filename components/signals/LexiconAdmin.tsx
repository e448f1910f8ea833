"use client";
// The signal lexicon's admin screen: the active version, the pending proposal with what it changes (approve or
// reject by another admin), an editor of the term lists that proposes a new version, a box that runs a note through
// the active lexicon and the proposal, and the history of every version.
import { Alert, App, Button, Card, Descriptions, Input, Space, Table, Tabs, Tag, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useAction, useKeyedAction } from "@/components/shell/useAction";
import { formatDateTime } from "@/lib/format";
import { WORD_LISTS, type ListChange } from "@/lib/signals/diff";
import type { Keyed } from "@/lib/http/action";
import type { Lexicon } from "@/lib/signals/lexicon";
import { LANGS, SIGNAL_IDS, type NoteSignals } from "@/lib/signals/types";
import type { RuleVersionStatus } from "@/lib/vocabulary";
import { approveLexiconAction, proposeLexiconAction, rejectLexiconAction, tryLexiconAction } from "./actions";
import type { LexiconScreenData, LexiconVersionView } from "./types";

const STATUS_COLOUR = { proposed: "processing", active: "green", rejected: "red", superseded: "default" } as const satisfies Record<RuleVersionStatus, string>;

/** The editable lists, each a textarea of one term per line, keyed "signal.<id>.<lang>", "<list>.<lang>", "dictionary". */
type Draft = Record<string, string>;

function draftOf(l: Lexicon): Draft {
  const d: Draft = {};
  for (const id of SIGNAL_IDS) for (const lang of LANGS) d[`signal.${id}.${lang}`] = l.signals[id].terms[lang].join("\n");
  for (const list of WORD_LISTS) for (const lang of LANGS) d[`${list}.${lang}`] = l[list][lang].join("\n");
  d.dictionary = l.dictionary.join("\n");
  return d;
}

const lines = (s: string | undefined) => [...new Set((s ?? "").split("\n").map((x) => x.trim()).filter(Boolean))];

/** The base lexicon with the draft's lists; intensifier weights and windows are carried over unchanged. */
function lexiconOf(base: Lexicon, d: Draft): Lexicon {
  const l = structuredClone(base);
  for (const id of SIGNAL_IDS) for (const lang of LANGS) l.signals[id].terms[lang] = lines(d[`signal.${id}.${lang}`]);
  for (const list of WORD_LISTS) for (const lang of LANGS) l[list][lang] = lines(d[`${list}.${lang}`]);
  l.dictionary = lines(d.dictionary);
  return l;
}

function useListLabel() {
  const t = useTranslations("signals");
  return (c: Pick<ListChange, "list" | "lang">) => `${(SIGNAL_IDS as readonly string[]).includes(c.list) ? t(`names.${c.list}`) : t(`lists.${c.list}`)}${c.lang ? ` · ${t(`langs.${c.lang}`)}` : ""}`;
}

function ActiveCard({ data }: { data: LexiconScreenData }) {
  const t = useTranslations("signals");
  const a = data.active;
  return (
    <Card size="small" title={t("active")} style={{ marginBottom: 16 }}>
      {a ? (
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t("version")}>
            <span data-testid="active-lexicon-version">v{a.version}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("name")}>{a.name}</Descriptions.Item>
          <Descriptions.Item label={t("decidedBy")}>{a.decidedAt ? `${a.decidedByName ?? t("system")} · ${formatDateTime(a.decidedAt)}` : "—"}</Descriptions.Item>
          {SIGNAL_IDS.map((id) => (
            <Descriptions.Item key={id} label={t(`names.${id}`)}>
              {t("termCount", { zh: data.base.signals[id].terms.zh.length, en: data.base.signals[id].terms.en.length })}
            </Descriptions.Item>
          ))}
        </Descriptions>
      ) : (
        <Typography.Text type="secondary">{t("noActive")}</Typography.Text>
      )}
    </Card>
  );
}

function DiffTable({ changes, settings }: { changes: ListChange[]; settings: string[] }) {
  const t = useTranslations("signals");
  const label = useListLabel();
  if (!changes.length && !settings.length) return <Typography.Paragraph type="secondary">{t("noChanges")}</Typography.Paragraph>;
  return (
    <>
      <Table<ListChange>
        size="small"
        pagination={false}
        rowKey={(c) => `${c.list}.${c.lang}`}
        dataSource={changes}
        aria-label={t("changes")}
        columns={[
          { title: t("list"), render: (_, c) => label(c) },
          { title: t("added"), render: (_, c) => c.added.map((x) => <Tag key={x} color="green">+ {x}</Tag>) },
          { title: t("removed"), render: (_, c) => c.removed.map((x) => <Tag key={x} color="red">− {x}</Tag>) },
          { title: t("changedWeights"), render: (_, c) => c.changed.join("; ") },
        ]}
      />
      {settings.length > 0 && <Typography.Paragraph style={{ marginTop: 8 }}>{t("settingsChanged", { paths: settings.join(", ") })}</Typography.Paragraph>}
    </>
  );
}

type Decision = { kind: "approve" } | { kind: "reject"; note: string };

function PendingCard({ data }: { data: LexiconScreenData }) {
  const t = useTranslations("signals");
  const { message } = App.useApp();
  const router = useRouter();
  const [rejectNote, setRejectNote] = useState("");
  const p = data.pending!;
  const decide = useAction((d: Decision) => (d.kind === "approve" ? approveLexiconAction({ versionId: p.id }) : rejectLexiconAction({ versionId: p.id, note: d.note })), {
    onSuccess: (_r, d) => {
      message.success(t(d.kind === "approve" ? "approved" : "rejected", { version: p.version }));
      router.refresh();
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <Alert
      style={{ marginBottom: 16 }}
      type="info"
      showIcon
      title={t("pendingBy", { version: p.version, name: p.proposedByName ?? t("system"), at: formatDateTime(p.proposedAt) })}
      description={
        <>
          {p.note && <Typography.Paragraph style={{ marginBottom: 8 }}>{t("proposalNote", { note: p.note })}</Typography.Paragraph>}
          <DiffTable changes={p.diff.changes} settings={p.diff.settings} />
          <div style={{ marginTop: 12 }}>
            {p.proposedBy === data.selfId ? (
              <Typography.Text type="secondary">{t("ownProposal")}</Typography.Text>
            ) : (
              <Space wrap>
                <Button type="primary" loading={decide.isPending} onClick={() => decide.mutate({ kind: "approve" })}>
                  {t("approve")}
                </Button>
                <Input aria-label={t("rejectNote")} placeholder={t("rejectNote")} value={rejectNote} onChange={(e) => setRejectNote(e.target.value)} style={{ width: 260 }} />
                <Button danger loading={decide.isPending} disabled={!rejectNote.trim()} onClick={() => decide.mutate({ kind: "reject", note: rejectNote })}>
                  {t("reject")}
                </Button>
              </Space>
            )}
          </div>
        </>
      }
    />
  );
}

function ListEditor({ field, label, draft, setDraft }: { field: string; label: string; draft: Draft; setDraft: (f: (d: Draft) => Draft) => void }) {
  return (
    <div style={{ flex: "1 1 320px" }}>
      <Typography.Text strong>{label}</Typography.Text>
      <Input.TextArea aria-label={label} autoSize={{ minRows: 6, maxRows: 16 }} value={draft[field]} onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))} />
    </div>
  );
}

function EditorCard({ data }: { data: LexiconScreenData }) {
  const t = useTranslations("signals");
  const label = useListLabel();
  const { message } = App.useApp();
  const router = useRouter();
  const initial = useMemo(() => draftOf(data.base), [data.base]);
  const [draft, setDraftState] = useState<Draft>(initial);
  const [note, setNote] = useState("");
  const setDraft = (f: (d: Draft) => Draft) => setDraftState(f);
  // The input is built from the draft when submitting; useKeyedAction gives a double submit one key.
  const submit = useKeyedAction((req: Keyed<{ lexicon: Lexicon; note: string }>) => proposeLexiconAction(req), {
    onSuccess: (r) => {
      message.success(t("proposed", { version: r.version }));
      setNote("");
      router.refresh();
    },
    onError: (e) => message.error(e.message),
  });
  const pending = data.pending !== null;
  const tabs = [
    ...SIGNAL_IDS.map((id) => ({
      key: id,
      label: t(`names.${id}`),
      children: (
        <Space align="start" wrap style={{ width: "100%" }}>
          {LANGS.map((lang) => (
            <ListEditor key={lang} field={`signal.${id}.${lang}`} label={label({ list: id, lang })} draft={draft} setDraft={setDraft} />
          ))}
        </Space>
      ),
    })),
    {
      key: "words",
      label: t("wordLists"),
      children: (
        <Space align="start" wrap style={{ width: "100%" }}>
          {WORD_LISTS.flatMap((list) => LANGS.map((lang) => <ListEditor key={`${list}.${lang}`} field={`${list}.${lang}`} label={label({ list, lang })} draft={draft} setDraft={setDraft} />))}
          <ListEditor field="dictionary" label={label({ list: "dictionary", lang: null })} draft={draft} setDraft={setDraft} />
        </Space>
      ),
    },
  ];
  return (
    <Card size="small" title={t("editor")} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("editorHint")}</Typography.Paragraph>
      <Tabs items={tabs} />
      <Space wrap style={{ marginTop: 12 }}>
        <Input aria-label={t("note")} placeholder={t("note")} value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 360 }} maxLength={500} />
        <Button type="primary" disabled={pending} loading={submit.isPending} onClick={() => submit.mutate({ lexicon: lexiconOf(data.base, draft), note })}>
          {t("propose")}
        </Button>
        <Button onClick={() => setDraftState(initial)}>{t("reset")}</Button>
        {pending && <Typography.Text type="secondary">{t("pendingFirst")}</Typography.Text>}
      </Space>
    </Card>
  );
}

/** The sentence with the evidence's span marked. */
function Highlighted({ sentence, sentenceStart, span }: { sentence: string; sentenceStart: number; span: [number, number] }) {
  const a = span[0] - sentenceStart;
  const b = span[1] - sentenceStart;
  return (
    <span>
      {sentence.slice(0, a)}
      <mark>{sentence.slice(a, b)}</mark>
      {sentence.slice(b)}
    </span>
  );
}

function Findings({ title, result, testId }: { title: string; result: NoteSignals; testId: string }) {
  const t = useTranslations("signals");
  return (
    <Card size="small" type="inner" data-testid={testId} title={`${title} (${result.lexicon})`} style={{ flex: "1 1 360px" }}>
      {result.signals.length === 0 && <Typography.Text type="secondary">{t("noSignals")}</Typography.Text>}
      {result.signals.map((s) => (
        <div key={s.signal} data-testid={`found-${s.signal}`} style={{ marginBottom: 8 }}>
          <Tag color={s.polarity === "risk" ? "orange" : "blue"}>{t(`names.${s.signal}`)}</Tag>
          {s.intensity !== 1 && <Typography.Text type="secondary">×{s.intensity}</Typography.Text>}
          {s.evidence.map((e, i) => (
            <div key={i} style={{ marginLeft: 8 }}>
              <Highlighted sentence={e.sentence} sentenceStart={e.sentenceSpan[0]} span={e.span} />
            </div>
          ))}
        </div>
      ))}
      {result.negated.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t("negated", { terms: result.negated.map((n) => `${n.text} (${t(`names.${n.signal}`)})`).join("; ") })}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function TryCard({ data }: { data: LexiconScreenData }) {
  const t = useTranslations("signals");
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const run = useAction((input: { text: string; versionId?: number }) => tryLexiconAction(input), { onError: (e) => message.error(e.message) });
  return (
    <Card size="small" title={t("try")} style={{ marginBottom: 16 }}>
      <Input.TextArea aria-label={t("tryNote")} placeholder={t("tryPlaceholder")} autoSize={{ minRows: 2, maxRows: 6 }} value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
      <Button style={{ marginTop: 8 }} type="primary" disabled={!text.trim()} loading={run.isPending} onClick={() => run.mutate({ text, versionId: data.pending?.id })}>
        {data.pending ? t("tryBoth", { version: data.pending.version }) : t("tryActive")}
      </Button>
      {run.data && (
        <Space align="start" wrap style={{ width: "100%", marginTop: 12 }}>
          <Findings testId="findings-active" title={t("withActive")} result={run.data.active} />
          {run.data.proposed && <Findings testId="findings-proposed" title={t("withProposal", { version: data.pending?.version ?? "" })} result={run.data.proposed} />}
        </Space>
      )}
    </Card>
  );
}

function HistoryCard({ versions }: { versions: LexiconVersionView[] }) {
  const t = useTranslations("signals");
  return (
    <Card size="small" title={t("history")}>
      <Table<LexiconVersionView>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={versions}
        locale={{ emptyText: t("noVersions") }}
        columns={[
          { title: t("version"), dataIndex: "version", render: (v: number) => `v${v}` },
          { title: t("status"), dataIndex: "status", render: (s: RuleVersionStatus) => <Tag color={STATUS_COLOUR[s]}>{t(`statuses.${s}`)}</Tag> },
          { title: t("proposedBy"), render: (_, v) => `${v.proposedByName ?? t("system")} · ${formatDateTime(v.proposedAt)}` },
          { title: t("decidedBy"), render: (_, v) => (v.decidedAt ? `${v.decidedByName ?? t("system")} · ${formatDateTime(v.decidedAt)}` : "—") },
          { title: t("note"), render: (_, v) => [v.note, v.decisionNote].filter(Boolean).join(" / ") },
        ]}
      />
    </Card>
  );
}

export function LexiconAdmin({ data }: { data: LexiconScreenData }) {
  return (
    <>
      <ActiveCard data={data} />
      {data.pending && <PendingCard data={data} />}
      <TryCard data={data} />
      <EditorCard key={data.active?.id ?? 0} data={data} />
      <HistoryCard versions={data.versions} />
    </>
  );
}
