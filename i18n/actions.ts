"use server";
import { cookies } from "next/headers";
import { LOCALE_COOKIE, LOCALES, type Locale } from "./locales";

export async function setLocale(locale: Locale): Promise<void> {
  if (!LOCALES.includes(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax" });
}
