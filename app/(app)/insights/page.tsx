import { getLocale, getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { Insights, type InsightsViewParams } from "@/components/insights/Insights";
import { PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { insightsParams, insightsQuerySchema } from "@/lib/insights/params";
import { rulesInsights, staffInsights } from "@/lib/insights/queries";
import { now } from "@/lib/tasks/api";
import { todayIn } from "@/lib/time";
import { listBranches } from "@/lib/users/service";

type Search = Record<string, string | string[] | undefined>;

// Warning quality for supervisors (their branch) and admins (the bank, or a branch they pick), for the period and
// horizon in the address bar (the current month and 180 days by default).
export default async function InsightsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { actor, scope } = await guardPage(["supervisor", "admin"], "/insights");
  const t = await getTranslations("insights");
  const en = (await getLocale()) === "en";
  const sp = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const parsed = insightsQuerySchema.safeParse(sp);
  // A malformed address falls back to the default view rather than failing the page.
  const q: InsightsViewParams = parsed.success ? parsed.data : {};
  const at = await now();
  const params = insightsParams(q, at, todayIn(undefined, at));
  const [data, branches] = await Promise.all([
    Promise.all([rulesInsights(db(), scope, params), staffInsights(db(), scope, params)]).catch((e: unknown) => {
      // Another branch than the supervisor's own, or one that does not exist: as if the page did not exist.
      if (e instanceof NotFound) notFound();
      throw e;
    }),
    listBranches(db()),
  ]);
  const [rules, staff] = data;
  const shown = branches.find((b) => b.id === rules.branchId);
  return (
    <>
      <PageTitle>{shown ? t("titleBranch", { branch: en ? shown.nameEn : shown.name }) : t("titleBank")}</PageTitle>
      <Insights
        initial={{ rules, staff }}
        initialParams={q}
        branches={actor.role === "admin" ? branches.map((b) => ({ id: b.id, name: b.name, nameEn: b.nameEn })) : null}
      />
    </>
  );
}
