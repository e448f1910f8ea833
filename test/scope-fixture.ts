// A small two-branch organisation for scope tests: admin, hr1, sup1 (branch 1), sup2 (branch 2), rm1 + rm2
// (branch 1), rm3 (branch 2), feed (the integration service account, no branch); customers C1 (rm1), C2 (rm2), C3 (rm3), each with one loan L1/L2/L3; an API token
// per user.
import type { Db } from "../lib/db/client";
import type { Role } from "../lib/vocabulary";

export type ScopeFixture = { tokens: Record<string, string>; userIds: Record<string, number>; branchIds: [number, number] };

export async function buildScopeFixture(db: Db): Promise<ScopeFixture> {
  const { branches, customers, installments, loans } = await import("../lib/db/schema");
  const { createUser } = await import("../lib/users/service");
  const { createApiToken } = await import("../lib/auth/tokens");
  const { withCheckChar } = await import("../lib/reference/creditCode");
  const { buildSchedule } = await import("../lib/loans/schedule");
  const sys = { kind: "system", name: "test" } as const;
  const [b1, b2] = await db
    .insert(branches)
    .values([
      { code: "B1", name: "一分行", nameEn: "Branch 1", region: "杭州" },
      { code: "B2", name: "二分行", nameEn: "Branch 2", region: "宁波" },
    ])
    .returning();
  const tokens: Record<string, string> = {};
  const userIds: Record<string, number> = {};
  const mk = async (username: string, role: Role, branchId: number | null) => {
    userIds[username] = (await createUser(db, sys, { username, displayName: username, role, branchId, password: "long-enough-pass" })).id;
    tokens[username] = (await createApiToken(db, sys, username, "test")).token;
  };
  await mk("admin", "admin", null);
  await mk("hr1", "hr", null);
  await mk("sup1", "supervisor", b1!.id);
  await mk("sup2", "supervisor", b2!.id);
  await mk("rm1", "rm", b1!.id);
  await mk("rm2", "rm", b1!.id);
  await mk("rm3", "rm", b2!.id);
  await mk("feed", "integration", null);
  const base = { legalRep: "张三", registeredCapitalFen: 100_000_000, industryCode: "C36", region: "杭州", onboardedOn: "2024-01-01", contactPerson: "李四", contactPhone: "13800000000" };
  const cs = await db
    .insert(customers)
    .values([
      { ...base, customerNo: "C1", name: "一号公司", creditCode: withCheckChar("91330100MA0000001"), branchId: b1!.id, rmId: userIds.rm1! },
      { ...base, customerNo: "C2", name: "二号公司", creditCode: withCheckChar("91330100MA0000002"), branchId: b1!.id, rmId: userIds.rm2! },
      { ...base, customerNo: "C3", name: "三号公司", creditCode: withCheckChar("91330200MA0000003"), branchId: b2!.id, rmId: userIds.rm3! },
    ])
    .returning({ id: customers.id });
  const terms = { principalFen: 12_000_000, annualRate: "0.043500", termMonths: 12, method: "equal_installment" as const, disbursedOn: "2026-01-15" };
  for (const [i, c] of cs.entries()) {
    const [loan] = await db
      .insert(loans)
      .values({ contractNo: `L${i + 1}`, customerId: c.id, product: "流动资金贷款", principalFen: terms.principalFen, annualRate: terms.annualRate, termMonths: 12, method: terms.method, disbursedOn: terms.disbursedOn, maturityOn: "2027-01-15" })
      .returning({ id: loans.id });
    await db.insert(installments).values(buildSchedule(terms).map((s) => ({ ...s, loanId: loan!.id })));
  }
  return { tokens, userIds, branchIds: [b1!.id, b2!.id] };
}
