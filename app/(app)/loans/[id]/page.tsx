import { LoanDetail } from "@/components/loans/LoanDetail";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { getLoanDetail } from "@/lib/loans/detail";

export default async function LoanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { scope } = await guardPage(ANY_ROLE, `/loans/${encodeURIComponent(raw)}`);
  const id = pageId(raw);
  // Out of scope and unknown look the same: 404.
  const detail = await orNotFound(getLoanDetail(db(), scope, { id }));
  return <LoanDetail detail={detail} />;
}
