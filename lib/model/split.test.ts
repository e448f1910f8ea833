import { describe, expect, it } from "vitest";
import { seededRandom, shuffled } from "./random";
import { stratifiedSplit, timeSplit } from "./split";

describe("seeded randomness", () => {
  it("the same seed gives the same sequence, another seed another", () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(shuffled([1, 2, 3, 4, 5, 6], seededRandom(9)).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("stratified split", () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 5 === 0 ? 1 : 0)) as (0 | 1)[];
  it("keeps the event rate in both parts and covers every row once", () => {
    const { train, test } = stratifiedSplit(labels, 0.3, 1);
    expect(test).toHaveLength(300);
    expect(train).toHaveLength(700);
    expect(test.filter((i) => labels[i] === 1)).toHaveLength(60);
    expect(new Set([...train, ...test]).size).toBe(1000);
  });
  it("is deterministic for a seed", () => {
    expect(stratifiedSplit(labels, 0.3, 7)).toEqual(stratifiedSplit(labels, 0.3, 7));
    expect(stratifiedSplit(labels, 0.3, 7).test).not.toEqual(stratifiedSplit(labels, 0.3, 8).test);
    expect(() => stratifiedSplit(labels, 1, 1)).toThrow(RangeError);
  });
});

describe("time split", () => {
  const snaps = ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-04-30", "2026-03-31"].map((asOf, i) => ({ asOf, label: (i % 2) as 0 | 1, values: { i } }));
  it("validates on the newest month, trains on the older ones", () => {
    const s = timeSplit(snaps);
    expect(s.validateMonths).toEqual(["2026-04"]);
    expect(s.trainMonths).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(s.validate.map((x) => x.values.i)).toEqual([3, 4]);
    expect(s.train.map((x) => x.values.i)).toEqual([0, 1, 2, 5]);
  });
  it("can hold out several months, and needs at least one month to train on", () => {
    expect(timeSplit(snaps, 2).validate.map((x) => x.values.i)).toEqual([2, 3, 4, 5]);
    expect(() => timeSplit(snaps, 4)).toThrow(/more than 4/);
    expect(() => timeSplit([{ asOf: "yesterday", label: 0, values: {} }, ...snaps])).toThrow(/ISO date/);
  });
});
