import { afterEach, describe, expect, it } from "vitest";
import { keptAnswers } from "./keptAnswers";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A computation the test finishes by hand, recording when it started. */
function gate<T>(value: T, log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, compute: async () => (log.push(`start ${name}`), await opened, log.push(`end ${name}`), value) };
}

describe("keptAnswers", () => {
  afterEach(() => {
    delete process.env.DASHBOARD_CACHE_MS;
    delete process.env.DASHBOARD_STALE_MS;
  });

  it("serves stale answers at once and runs the background recomputations one at a time, across stores", async () => {
    process.env.DASHBOARD_CACHE_MS = "20";
    process.env.DASHBOARD_STALE_MS = "60000";
    const a = keptAnswers<string>();
    const b = keptAnswers<string>();
    expect(await a(["x"], async () => "a1")).toBe("a1");
    expect(await b(["y"], async () => "b1")).toBe("b1");
    await sleep(30);
    const log: string[] = [];
    const ga = gate("a2", log, "a");
    const gb = gate("b2", log, "b");
    // Both stale: the old answers, without waiting; only the first recomputation has started.
    expect(await a(["x"], ga.compute)).toBe("a1");
    expect(await b(["y"], gb.compute)).toBe("b1");
    await sleep(5);
    expect(log).toEqual(["start a"]);
    ga.open();
    await sleep(5);
    expect(log).toEqual(["start a", "end a", "start b"]);
    gb.open();
    await sleep(5);
    expect(await a(["x"], async () => "never")).toBe("a2");
    expect(await b(["y"], async () => "never")).toBe("b2");
  });

  it("a failed recomputation keeps the old answer and does not block the ones queued after it", async () => {
    process.env.DASHBOARD_CACHE_MS = "20";
    const a = keptAnswers<string>();
    const b = keptAnswers<string>();
    await a(["x"], async () => "a1");
    await b(["y"], async () => "b1");
    await sleep(30);
    expect(await a(["x"], async () => Promise.reject(new Error("down")))).toBe("a1");
    expect(await b(["y"], async () => "b2")).toBe("b1");
    await sleep(10);
    expect(await b(["y"], async () => "never")).toBe("b2");
    // The failed one is tried again on the next stale read.
    expect(await a(["x"], async () => "a3")).toBe("a1");
    await sleep(10);
    expect(await a(["x"], async () => "never")).toBe("a3");
  });
});
