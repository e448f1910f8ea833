"use client";
// The imports page: upload a file (kind, encoding, dry run), watch the import run (steps, progress bar polled every
// second), read the result (counts, or the errors with their CSV report), download templates, and browse the history.
import { Card, Col, Drawer, Row } from "antd";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { ImportHistory } from "./ImportHistory";
import { ImportStatusView } from "./ImportStatusView";
import { TemplatesCard } from "./TemplatesCard";
import { UploadCard } from "./UploadCard";

export function ImportsAdmin({ initialId }: { initialId: number | null }) {
  const t = useTranslations("imports");
  const [watched, setWatched] = useState<number | null>(initialId);
  const [drawerId, setDrawerId] = useState<number | null>(null);

  const watch = (id: number) => {
    setWatched(id);
    window.history.replaceState(null, "", `/admin/imports?id=${id}`);
  };

  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <Hint>{t("subtitle")}</Hint>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={15}>
          <UploadCard onStarted={watch} />
        </Col>
        <Col xs={24} xl={9}>
          <TemplatesCard />
        </Col>
      </Row>
      {watched !== null && (
        <Card size="small" title={t("current.title", { id: watched })} style={{ marginBottom: 16 }} role="region" aria-label={t("current.label")}>
          <ImportStatusView id={watched} />
        </Card>
      )}
      <ImportHistory onOpen={setDrawerId} />
      <Drawer open={drawerId !== null} onClose={() => setDrawerId(null)} size={720} title={drawerId !== null ? t("drawer.title", { id: drawerId }) : ""}>
        {drawerId !== null && <ImportStatusView id={drawerId} withFacts />}
      </Drawer>
    </>
  );
}
