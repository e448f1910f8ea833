import { notFound } from "next/navigation";
import { LoanDetail } from "@/components/loans/LoanDetail";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { getLoanDetail } from "@/lib/loans/detail";

export default async function LoanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { scope } = await guardPage(ANY_ROLE, `/loans/${encodeURIComponent(raw)}`);
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) notFound();
  // Out of scope and unknown look the same: 404.
  const detail = await getLoanDetail(db(), scope, { id }).catch((e: unknown) => {
    if (e instanceof NotFound) notFound();
    throw e;
  });
  return <LoanDetail detail={detail} />;
}
