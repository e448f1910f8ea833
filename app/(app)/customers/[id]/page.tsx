import { ContactLog, CustomerChurnCard } from "@/components/customers/CustomerChurn";
import { CustomerDetail } from "@/components/customers/CustomerDetail";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { customerChurnEvents, customerChurnRemovals } from "@/lib/churn/queries";
import { mayDecide } from "@/lib/churn/service";
import { recentContacts } from "@/lib/customers/contact";
import { applicationsOfCustomer, getCustomer, loansOfCustomer, repaymentsOf, schedulesOf } from "@/lib/customers/queries";
import { db } from "@/lib/db/client";
import { orNotFound, pageId } from "@/lib/http/page";
import { RiskScoreCard } from "@/components/model/RiskScoreCard";
import { customerRisk } from "@/lib/model/queries";

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { actor, scope } = await guardPage(ANY_ROLE, `/customers/${encodeURIComponent(raw)}`);
  const id = pageId(raw);
  // Out of scope and unknown look the same: 404.
  const customer = await orNotFound(getCustomer(db(), scope, id));
  const [applications, loans] = await Promise.all([applicationsOfCustomer(db(), scope, customer.id), loansOfCustomer(db(), scope, customer.id)]);
  const loanIds = loans.map((l) => l.id);
  const [schedule, repayments, events, removals, contacts, risk] = await Promise.all([
    schedulesOf(db(), scope, loanIds),
    repaymentsOf(db(), scope, loanIds),
    customerChurnEvents(db(), scope, customer.id),
    customerChurnRemovals(db(), scope, customer.id),
    recentContacts(db(), scope, customer.id),
    customerRisk(db(), scope, customer.id),
  ]);
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
    >
      <RiskScoreCard risk={risk} />
      <CustomerChurnCard events={events} removals={removals} churnedOn={customer.churnedOn} wonBackOn={customer.wonBackOn} />
      <ContactLog customerId={customer.id} contacts={contacts} canLog={mayDecide(actor)} />
    </CustomerDetail>
  );
}
