import { CustomerDetail } from "@/components/customers/CustomerDetail";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { applicationsOfCustomer, getCustomer, loansOfCustomer, repaymentsOf, schedulesOf } from "@/lib/customers/queries";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { scope } = await guardPage(ANY_ROLE, `/customers/${encodeURIComponent(raw)}`);
  const id = pageId(raw);
  // Out of scope and unknown look the same: 404.
  const customer = await orNotFound(getCustomer(db(), scope, id));
  const [applications, loans] = await Promise.all([applicationsOfCustomer(db(), scope, customer.id), loansOfCustomer(db(), scope, customer.id)]);
  const loanIds = loans.map((l) => l.id);
  const [schedule, repayments] = await Promise.all([schedulesOf(db(), scope, loanIds), repaymentsOf(db(), scope, loanIds)]);
  return (
    <CustomerDetail
      customer={customer}
      showContact={scope.contact}
      applications={applications.map((a) => ({
        id: a.id,
        applicationNo: a.applicationNo,
        product: a.product,
        amountFen: a.amountFen,
        submittedOn: a.submittedOn,
        decidedOn: a.decidedOn,
        status: a.status,
      }))}
      loans={loans}
      schedule={schedule.map((s) => ({
        loanId: s.loanId,
        installmentNo: s.installmentNo,
        dueOn: s.dueOn,
        principalDueFen: s.principalDueFen,
        interestDueFen: s.interestDueFen,
      }))}
      repayments={repayments}
    />
  );
}
