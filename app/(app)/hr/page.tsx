import { Space } from "antd";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PeriodsList } from "@/components/incentives/PeriodsList";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { listPeriods } from "@/lib/incentives/queries";

// HR's home: the incentive periods to review, adjust, lock and export; the staff list and the scheme one click away.
export default async function HrHome() {
  const { scope } = await guardPage(["hr"], "/hr");
  const t = await getTranslations("incentives");
  const periods = await listPeriods(db(), scope);
  return (
    <>
      <PageTitle>{t("periodsTitle")}</PageTitle>
      <Hint>{t("periodsHint")}</Hint>
      <Space style={{ marginBottom: 12 }}>
        <Link href="/incentives/scheme">{t("schemeLink")}</Link>
        <Link href="/hr/staff">{t("staffLink")}</Link>
      </Space>
      <PeriodsList rows={periods} />
    </>
  );
}
