import { Card, Col, Row } from "antd";
import { getLocale, getTranslations } from "next-intl/server";
import { BarChart } from "@/components/charts/BarChart";
import { CustomerTable } from "@/components/customers/CustomerTable";
import { RmOverviewTable } from "@/components/customers/RmOverviewTable";
import { StatCards } from "@/components/shell/StatCards";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { branchOverview } from "@/lib/customers/queries";
import { portfolioSummary } from "@/lib/customers/summary";
import { db } from "@/lib/db/client";
import { fenToWan } from "@/lib/format";
import { listBranches } from "@/lib/users/service";

export default async function SupervisorHome() {
  const { actor, scope } = await guardPage(["supervisor"], "/supervisor");
  const t = await getTranslations("supervisorHome");
  const tc = await getTranslations("common");
  const en = (await getLocale()) === "en";
  const [summary, perRm, branches] = await Promise.all([portfolioSummary(db(), scope), branchOverview(db(), scope), listBranches(db())]);
  const branch = branches.find((b) => b.id === actor.branchId);
  const chartRows = [...perRm].sort((a, b) => b.principalFen - a.principalFen);
  return (
    <>
      <PageTitle>
        {t("title", { branch: branch ? (en ? branch.nameEn : branch.name) : "" })}
      </PageTitle>
      <StatCards
        items={[
          { key: "rms", label: t("stats.rms"), value: perRm.length },
          { key: "customers", label: t("stats.customers"), value: summary.customers, href: "/customers" },
          { key: "activeLoans", label: t("stats.activeLoans"), value: summary.activeLoans },
          { key: "activePrincipal", label: tc("withUnit", { label: t("stats.activePrincipal"), unit: tc("wan") }), value: fenToWan(summary.activePrincipalFen), precision: 2 },
          { key: "defaultedLoans", label: t("stats.defaultedLoans"), value: summary.defaultedLoans, tone: "danger" },
        ]}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={14}>
          <Card title={t("byRm")} size="small" style={{ height: "100%" }}>
            <RmOverviewTable rows={perRm} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t("chartTitle")} size="small" style={{ height: "100%" }}>
            {chartRows.length ? (
              <BarChart
                label={t("chartLabel")}
                categories={chartRows.map((r) => r.rmName)}
                values={chartRows.map((r) => fenToWan(r.principalFen))}
                seriesName={t("stats.activePrincipal")}
                unit={tc("wan")}
              />
            ) : (
              <Hint>{t("chartEmpty")}</Hint>
            )}
          </Card>
        </Col>
      </Row>
      <CustomerTable
        showBranch={false}
        rms={perRm.map((r) => ({ id: r.rmId, name: r.rmName }))}
        title={<PageTitle level={4}>{t("customersTitle")}</PageTitle>}
        emptyHint={t("customersEmpty")}
      />
    </>
  );
}
