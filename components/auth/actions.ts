"use server";
// Sign-in (password or SSO) for the sign-in page and sign-out for the shell. They end in a redirect, so the screens
// call them as a form action or in a transition rather than through useAction.
import { AuthError, CredentialsSignin } from "next-auth";
import { safeCallback } from "@/lib/auth/callback";
import { signIn, signOut } from "@/lib/auth/nextauth";

export type SignInState = { error?: "invalid" | "unavailable" };

export async function signInWithPassword(input: { username: string; password: string; callbackUrl?: string }): Promise<SignInState> {
  try {
    await signIn("credentials", { username: input.username, password: input.password, redirectTo: safeCallback(input.callbackUrl) });
    return {};
  } catch (e) {
    if (e instanceof CredentialsSignin) return { error: "invalid" };
    if (e instanceof AuthError) return { error: "unavailable" };
    throw e; // Next's redirect after a successful sign-in travels as an exception.
  }
}

export async function signInWithSso(callbackUrl?: string): Promise<void> {
  await signIn("oidc", { redirectTo: safeCallback(callbackUrl) });
}

// Auth.js's signOut event ends the session row (lib/auth/nextauth.ts), so a copy of the cookie stops working too.
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
