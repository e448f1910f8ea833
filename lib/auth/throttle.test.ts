import { describe, expect, it } from "vitest";
import { delaySeconds, throttleKeys } from "./throttle";

const cfg = { freeFailures: 5, windowMinutes: 15, maxDelaySeconds: 300 };

describe("delaySeconds", () => {
  it("lets the first failures through, then doubles the wait with each further one, up to the cap", () => {
    expect([0, 1, 4].map((n) => delaySeconds(n, cfg))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 12].map((n) => delaySeconds(n, cfg))).toEqual([1, 2, 4, 8, 128]);
    expect(delaySeconds(13, cfg)).toBe(256);
    expect(delaySeconds(14, cfg)).toBe(300);
    expect(delaySeconds(1000, cfg)).toBe(300);
  });
});

describe("throttleKeys", () => {
  it("keys the account case-insensitively, and the address when there is one", () => {
    expect(throttleKeys(" Alice ", "203.0.113.7")).toEqual(["u:alice", "ip:203.0.113.7"]);
    expect(throttleKeys("alice", null)).toEqual(["u:alice"]);
  });
});
