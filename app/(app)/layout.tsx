import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/AppShell";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const { actor } = await guardPage(ANY_ROLE);
  return <AppShell user={{ displayName: actor.displayName, username: actor.username, role: actor.role }}>{children}</AppShell>;
}
