import { getLocale } from "next-intl/server";
import { guardPage } from "@/lib/auth/guard";
import { PASSWORD_MIN } from "@/lib/auth/password";
import { ROLES, type Role } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listBranches, listUsers } from "@/lib/users/service";
import { toPerson } from "@/components/users/person";
import { UsersAdmin } from "@/components/users/UsersAdmin";

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ role?: string; branchId?: string }> }) {
  const { actor } = await guardPage(["admin"], "/admin/users");
  const en = (await getLocale()) === "en";
  const sp = await searchParams;
  const [users, branches] = await Promise.all([listUsers(db()), listBranches(db())]);
  const role = ROLES.find((r) => r === sp.role) as Role | undefined;
  const branchId = branches.find((b) => String(b.id) === sp.branchId)?.id;
  return (
    <UsersAdmin
      selfId={actor.userId}
      passwordMin={PASSWORD_MIN}
      initialFilters={{ role, branchId }}
      branches={branches.map((b) => ({ id: b.id, name: en ? b.nameEn : b.name }))}
      users={users.map(toPerson)}
    />
  );
}
