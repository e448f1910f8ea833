import { describe, expect, it } from "vitest";
import { ssoClaims } from "./sso";

const ISS = "https://sso.bank.example";

describe("ssoClaims", () => {
  it("keeps an e-mail only when email_verified is the boolean true", () => {
    expect(ssoClaims({ iss: ISS, sub: "s", email: "A@b.example", email_verified: true })).toEqual({ issuer: ISS, subject: "s", verifiedEmail: "a@b.example" });
    expect(ssoClaims({ iss: ISS, sub: "s", email: "a@b.example", email_verified: "true" })?.verifiedEmail).toBeNull();
    expect(ssoClaims({ iss: ISS, sub: "s", email: "a@b.example" })?.verifiedEmail).toBeNull();
    expect(ssoClaims({ iss: ISS, preferred_username: "admin" })).toBeNull();
    expect(ssoClaims(null)).toBeNull();
  });
});
