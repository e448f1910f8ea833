// SSO matching with crafted ID-token claims against real users: only (issuer, subject), a verified e-mail naming
// exactly one active user, or an admin's link ever picks the account.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { userLinkSso } from "../cli/commands";
import { auditLog, ssoIdentities } from "../db/schema";
import { createUser, setUserActive } from "./service";
import { ssoUserFor } from "./sso";

let t: TestDb;
const sys = { kind: "system", name: "test" } as const;
const ids: Record<string, number> = {};
const ISS = "https://sso.bank.example";

beforeAll(async () => {
  t = await freshDb();
  const mk = async (username: string, role: "admin" | "hr", email: string | null) => {
    ids[username] = (await createUser(t.db, sys, { username, displayName: username, role, email, password: "long-enough-pass" })).id;
  };
  await mk("admin", "admin", "admin@bank.example");
  await mk("hr1", "hr", "hr1@bank.example");
  await mk("twin1", "hr", "shared@bank.example");
  await mk("twin2", "hr", "shared@bank.example");
  await mk("gone", "hr", "gone@bank.example");
  await mk("nomail", "hr", null);
  await setUserActive(t.db, sys, ids.gone!, false);
});
afterAll(async () => t.drop());

describe("ssoUserFor", () => {
  it("never signs in by preferred_username or name: an IdP user calling themselves admin is nobody", async () => {
    const claims = { iss: ISS, sub: "evil-1", preferred_username: "admin", name: "admin", email: "admin@bank.example", email_verified: false };
    expect(await ssoUserFor(t.db, claims)).toBeNull();
    expect(await ssoUserFor(t.db, { ...claims, email_verified: "true" })).toBeNull();
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "evil-2", preferred_username: "admin" })).toBeNull();
    expect(await t.db.select().from(ssoIdentities)).toEqual([]);
  });

  it("binds a first sign-in by a verified e-mail naming one active user, then answers by (issuer, subject) alone", async () => {
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-100", email: "HR1@bank.example", email_verified: true })).toBe(ids.hr1);
    // Later sign-ins need no e-mail; a changed preferred_username or e-mail changes nothing.
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-100", preferred_username: "admin", email: "admin@bank.example", email_verified: true })).toBe(ids.hr1);
    const [link] = await t.db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, "u-100"));
    expect(link).toMatchObject({ issuer: ISS, userId: ids.hr1, linkedBy: "email" });
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "user.ssoLink"), eq(auditLog.entityId, String(ids.hr1))));
    expect(audit).toHaveLength(1);
    // The same subject at another issuer is another identity.
    expect(await ssoUserFor(t.db, { iss: "https://other.example", sub: "u-100" })).toBeNull();
  });

  it("binds nobody when the verified e-mail is ambiguous, names an inactive user, or the user already has an identity there", async () => {
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-200", email: "shared@bank.example", email_verified: true })).toBeNull();
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-201", email: "gone@bank.example", email_verified: true })).toBeNull();
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-202", email: "hr1@bank.example", email_verified: true })).toBeNull();
    expect(await ssoUserFor(t.db, { iss: ISS, email: "admin@bank.example", email_verified: true })).toBeNull();
  });

  it("refuses a bound identity whose user was deactivated", async () => {
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-300", email: "admin@bank.example", email_verified: true })).toBe(ids.admin);
    await setUserActive(t.db, sys, ids.admin!, false);
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-300" })).toBeNull();
    await setUserActive(t.db, sys, ids.admin!, true);
  });

  it("follows an admin's link (user link-sso) for a user without a verified e-mail", async () => {
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-400", preferred_username: "nomail" })).toBeNull();
    expect(await userLinkSso(t.db, { user: "nomail", issuer: ISS, subject: "u-400" })).toMatch(/linked/);
    expect(await ssoUserFor(t.db, { iss: ISS, sub: "u-400" })).toBe(ids.nomail);
    await expect(userLinkSso(t.db, { user: "twin1", issuer: ISS, subject: "u-400" })).rejects.toThrow(/conflict/);
    await expect(userLinkSso(t.db, { user: "nomail", issuer: ISS, subject: "u-401" })).rejects.toThrow(/conflict/);
    await expect(userLinkSso(t.db, { user: "nomail", issuer: ISS })).rejects.toThrow(/--subject/);
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "user.ssoLink"), eq(auditLog.entityId, String(ids.nomail))));
    expect(audit).toMatchObject({ actorKind: "system:cli", after: { issuer: ISS, subject: "u-400", by: "admin" } });
  });
});
