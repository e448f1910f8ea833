import { describe, expect, it } from "vitest";
import { homePath } from "./roles";

describe("homePath", () => {
  it("sends each role to its own home", () => {
    expect([homePath("rm"), homePath("supervisor"), homePath("hr"), homePath("admin"), homePath("integration")]).toEqual(["/rm", "/supervisor", "/hr", "/admin", "/login"]);
  });
});
