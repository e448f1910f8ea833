import { describe, expect, it } from "vitest";
import { ImportFileError } from "./imports/errors";
import { isWriteConflict, withRetries } from "./retry";

describe("withRetries", () => {
  it("tries again what the predicate accepts, up to the limit; any other error is thrown at once", async () => {
    const race = new Error("race");
    let calls = 0;
    const flaky = () => (++calls < 4 ? Promise.reject(race) : Promise.resolve("ok"));
    expect(await withRetries(flaky, { retryIf: (e) => e === race })).toBe("ok");
    expect(calls).toBe(4);
    calls = 0;
    await expect(withRetries(() => (++calls, Promise.reject(race)), { retryIf: (e) => e === race })).rejects.toBe(race);
    expect(calls).toBe(4);
    calls = 0;
    const other = new ImportFileError("file.empty");
    await expect(withRetries(() => (++calls, Promise.reject(other)), { retryIf: (e) => e === race })).rejects.toBe(other);
    expect(calls).toBe(1);
  });

  it("waits between tries as asked, and takes its own number of attempts", async () => {
    const waits: number[] = [];
    let calls = 0;
    await expect(withRetries(() => (++calls, Promise.reject(new Error("x"))), { retryIf: () => true, attempts: 3, delayMs: (a) => (waits.push(a), 1) })).rejects.toThrow("x");
    expect(calls).toBe(3);
    expect(waits).toEqual([1, 2]);
  });
});

describe("isWriteConflict", () => {
  it("accepts deadlocks, serialisation failures and unique races, also wrapped as drizzle wraps them", () => {
    for (const code of ["40P01", "40001", "23505"]) {
      expect(isWriteConflict({ code })).toBe(true);
      expect(isWriteConflict({ cause: { code } })).toBe(true);
    }
    expect(isWriteConflict({ code: "23503" })).toBe(false);
    expect(isWriteConflict(new Error("no code"))).toBe(false);
  });
});
