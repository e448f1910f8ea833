// GET /api/v1/customers/{customerNo} — one customer and its loans; 404 when unknown or outside the caller's scope.
import { BOOK_READERS, guard } from "@/lib/auth/guard";
import { getCustomerByNo, loansOfCustomer } from "@/lib/customers/queries";
import { db } from "@/lib/db/client";
import { route } from "@/lib/http/route";

export const GET = route<{ customerNo: string }>(async (req, { customerNo }) => {
  const { scope } = await guard(BOOK_READERS, req);
  const customer = await getCustomerByNo(db(), scope, customerNo);
  const loans = await loansOfCustomer(db(), scope, customer.id);
  // Readers without contact access (HR) get no contact fields at all, not even empty ones.
  const { contactPerson, contactPhone, ...withoutContact } = customer;
  return { customer: scope.contact ? { ...withoutContact, contactPerson, contactPhone } : withoutContact, loans };
});
