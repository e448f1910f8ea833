import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentSession } from "@/lib/auth/nextauth";
import { env, oidcEnabled } from "@/lib/env";
import { LoginForm } from "@/components/auth/LoginForm";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  // Only an active user goes on: a deactivated one with a live cookie would otherwise bounce between / and here.
  if (await currentSession()) redirect("/");
  const t = await getTranslations("login");
  const { callbackUrl } = await searchParams;
  const e = env();
  return (
    <main style={{ minHeight: "100vh", display: "flex", alignItems: "center", justifyContent: "center", padding: 24 }}>
      <LoginForm
        callbackUrl={callbackUrl}
        sso={oidcEnabled(e) ? { name: e.OIDC_NAME } : null}
        heading={t("heading")}
      />
    </main>
  );
}
