import { getTranslations } from "next-intl/server";
import { CustomerTable } from "@/components/CustomerTable";
import { StatCards } from "@/components/StatCards";
import { PageTitle } from "@/components/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { portfolioSummary } from "@/lib/customers/summary";
import { db } from "@/lib/db/client";
import { fenToWan } from "@/lib/format";

export default async function RmHome() {
  const { actor, scope } = await guardPage(["rm"], "/rm");
  const t = await getTranslations("rmHome");
  const tc = await getTranslations("common");
  const s = await portfolioSummary(db(), scope);
  return (
    <>
      <PageTitle>
        {t("title", { name: actor.displayName })}
      </PageTitle>
      <StatCards
        items={[
          { key: "customers", label: t("stats.customers"), value: s.customers, href: "/customers" },
          { key: "activeCustomers", label: t("stats.activeCustomers"), value: s.activeCustomers },
          { key: "activeLoans", label: t("stats.activeLoans"), value: s.activeLoans },
          { key: "activePrincipal", label: tc("withUnit", { label: t("stats.activePrincipal"), unit: tc("wan") }), value: fenToWan(s.activePrincipalFen), precision: 2 },
          { key: "defaultedLoans", label: t("stats.defaultedLoans"), value: s.defaultedLoans, tone: "danger" },
        ]}
      />
      <CustomerTable
        showBranch={false}
        showRm={false}
        title={
          <PageTitle level={4}>
            {t("customersTitle")}
          </PageTitle>
        }
        emptyHint={t("empty")}
      />
    </>
  );
}
