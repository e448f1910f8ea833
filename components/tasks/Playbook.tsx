"use client";
// The playbook: recommended retention actions per reason family (the task's own family first). Ticking an item
// records who did it and when.
import { App, Card, Checkbox, Progress, Space, Typography } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { useAction } from "@/components/shell/useAction";
import { formatDateTime } from "@/lib/format";
import type { TaskDetail } from "@/lib/tasks/queries";
import { setChecklistItemAction } from "./actions";

export function Playbook({ taskId, sections, editable, onDone }: { taskId: number; sections: TaskDetail["playbook"]; editable: boolean; onDone: () => Promise<void> }) {
  const t = useTranslations("tasks.playbook");
  const te = useTranslations("enums");
  const en = useLocale() === "en";
  const { message } = App.useApp();
  const tick = useAction((v: { itemKey: string; checked: boolean }) => setChecklistItemAction({ ...v, taskId }), {
    onError: (e: Error) => message.error(e.message),
    onSettled: () => onDone(),
  });
  const all = sections.flatMap((s) => s.items);
  const done = all.filter((i) => i.checkedAt).length;
  return (
    <Card
      size="small"
      title={t("title")}
      extra={<Progress percent={all.length ? Math.round((done / all.length) * 100) : 0} size="small" style={{ width: 120, margin: 0 }} format={() => `${done}/${all.length}`} />}
    >
      <Space orientation="vertical" size={12} style={{ width: "100%" }}>
        {sections.map((s, i) => (
          <div key={s.family} data-testid={`playbook-${s.family}`}>
            <Typography.Text strong>
              {te(`reasonFamily.${s.family}`)}
              {i === 0 && sections.length > 1 ? <Typography.Text type="secondary" style={{ fontWeight: 400 }}>{` · ${t("primary")}`}</Typography.Text> : null}
            </Typography.Text>
            <Space orientation="vertical" size={4} style={{ width: "100%", marginTop: 4 }}>
              {s.items.map((item) => {
                const pending = tick.isPending && tick.variables?.itemKey === item.key;
                const checked = pending ? tick.variables!.checked : Boolean(item.checkedAt);
                return (
                  <div key={item.key}>
                    <Checkbox checked={checked} disabled={!editable || pending} onChange={(e) => tick.mutate({ itemKey: item.key, checked: e.target.checked })}>
                      {en ? item.en : item.zh}
                    </Checkbox>
                    {item.checkedAt ? (
                      <div style={{ paddingInlineStart: 24 }}>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("checkedBy", { name: item.checkedBy ?? "", at: formatDateTime(item.checkedAt) })}
                        </Typography.Text>
                      </div>
                    ) : null}
                  </div>
                );
              })}
            </Space>
          </div>
        ))}
      </Space>
    </Card>
  );
}
