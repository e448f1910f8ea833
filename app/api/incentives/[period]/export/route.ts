// GET /api/incentives/{period}/export — the period as XLSX for payroll (HR and admins), in the caller's language.
import { getLocale } from "next-intl/server";
import { guard } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { exportPeriod } from "@/lib/incentives/export";
import { INCENTIVE_EDITORS } from "@/lib/incentives/service";

export const dynamic = "force-dynamic";

export const GET = route<{ period: string }>(async (req, { period }) => {
  const { scope } = await guard(INCENTIVE_EDITORS, req);
  const xlsx = await exportPeriod(db(), scope, period, await getLocale());
  return new Response(new Uint8Array(xlsx), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="churnwatch-incentives-${period}.xlsx"`,
      "cache-control": "no-store",
    },
  });
});
