// The loan page's data as lib/loans/detail returns it (serialised for the browser).
import type { getLoanDetail } from "@/lib/loans/detail";

export type LoanDetailData = Awaited<ReturnType<typeof getLoanDetail>>;
export type ScheduleRow = LoanDetailData["schedule"][number];
export type RepaymentRow = LoanDetailData["repayments"][number];
export type HistoryRow = LoanDetailData["history"][number];
export type LoanState = NonNullable<LoanDetailData["state"]>;

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
