import { guardPage } from "@/lib/auth/guard";
import { customersPerBranch } from "@/lib/customers/summary";
import { db } from "@/lib/db/client";
import { listBranches, listUsers } from "@/lib/users/service";
import { BranchesAdmin } from "@/components/branches/BranchesAdmin";

export default async function AdminBranchesPage() {
  const { scope } = await guardPage(["admin"], "/admin/branches");
  const [branches, users, customerCounts] = await Promise.all([listBranches(db()), listUsers(db()), customersPerBranch(db(), scope)]);
  const staff = new Map<number, number>();
  for (const u of users) if (u.branchId) staff.set(u.branchId, (staff.get(u.branchId) ?? 0) + 1);
  return (
    <BranchesAdmin
      branches={branches.map((b) => ({
        id: b.id,
        code: b.code,
        name: b.name,
        nameEn: b.nameEn,
        region: b.region,
        createdAt: b.createdAt.toISOString(),
        staff: staff.get(b.id) ?? 0,
        customers: customerCounts.get(b.id) ?? 0,
      }))}
    />
  );
}
