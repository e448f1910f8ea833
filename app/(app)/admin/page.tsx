import { Card, Col, Row } from "antd";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { StatCards } from "@/components/shell/StatCards";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { ROLES } from "@/lib/auth/roles";
import { portfolioSummary } from "@/lib/customers/summary";
import { db } from "@/lib/db/client";
import { fenToWan } from "@/lib/format";
import { listBranches, listUsers } from "@/lib/users/service";

export default async function AdminHome() {
  const { scope } = await guardPage(["admin"], "/admin");
  const t = await getTranslations("adminHome");
  const te = await getTranslations("enums");
  const tc = await getTranslations("common");
  const [users, branches, summary] = await Promise.all([listUsers(db()), listBranches(db()), portfolioSummary(db(), scope)]);
  const byRole = Object.fromEntries(ROLES.map((r) => [r, users.filter((u) => u.role === r).length]));
  const inactive = users.filter((u) => !u.active).length;
  return (
    <>
      <PageTitle>
        {t("title")}
      </PageTitle>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t("usersTitle")}
            extra={<Link href="/admin/users">{t("manageUsers")}</Link>}
            style={{ height: "100%" }}
          >
            <StatCards
              items={[
                ...ROLES.map((r) => ({ key: `role-${r}`, label: te(`role.${r}`), value: byRole[r] ?? 0, href: `/admin/users?role=${r}` })),
                { key: "inactive", label: t("inactiveUsers"), value: inactive, tone: "warning" as const },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t("orgTitle")}
            extra={<Link href="/admin/branches">{t("manageBranches")}</Link>}
            style={{ height: "100%" }}
          >
            <StatCards
              items={[
                { key: "branches", label: t("branches"), value: branches.length, href: "/admin/branches" },
                { key: "customers", label: t("customers"), value: summary.customers, href: "/customers" },
                { key: "loans", label: t("loans"), value: summary.loans },
                { key: "activeLoans", label: t("activeLoans"), value: summary.activeLoans },
                { key: "activePrincipal", label: tc("withUnit", { label: t("activePrincipal"), unit: tc("wan") }), value: fenToWan(summary.activePrincipalFen), precision: 2 },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {summary.customers === 0 && (
        <Card size="small">
          <Hint style={{ margin: 0 }}>{t("noData")}</Hint>
        </Card>
      )}
    </>
  );
}
