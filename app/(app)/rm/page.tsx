import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { PageTitle } from "@/components/shell/PageTitle";
import { StatCards } from "@/components/shell/StatCards";
import { TaskInbox } from "@/components/tasks/TaskInbox";
import { guardPage } from "@/lib/auth/guard";
import { portfolioSummary } from "@/lib/customers/summary";
import { db } from "@/lib/db/client";
import { fenToWan } from "@/lib/format";

// The RM's home is their task inbox; a compact row of portfolio figures sits above it.
export default async function RmHome() {
  const { actor, scope } = await guardPage(["rm"], "/rm");
  const t = await getTranslations("rmHome");
  const tc = await getTranslations("common");
  const ti = await getTranslations("tasks.inbox");
  const s = await portfolioSummary(db(), scope);
  return (
    <>
      <PageTitle>{t("title", { name: actor.displayName })}</PageTitle>
      <StatCards
        items={[
          { key: "customers", label: t("stats.customers"), value: s.customers, href: "/customers" },
          { key: "activeLoans", label: t("stats.activeLoans"), value: s.activeLoans },
          { key: "activePrincipal", label: tc("withUnit", { label: t("stats.activePrincipal"), unit: tc("wan") }), value: fenToWan(s.activePrincipalFen), precision: 2 },
          { key: "defaultedLoans", label: t("stats.defaultedLoans"), value: s.defaultedLoans, tone: "danger" },
        ]}
      />
      <PageTitle level={4}>{ti("title")}</PageTitle>
      <Suspense>
        <TaskInbox />
      </Suspense>
    </>
  );
}
