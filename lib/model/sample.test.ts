import { describe, expect, it } from "vitest";
import { sampleStratified } from "./training-data";

describe("sampleStratified", () => {
  const labels = Array.from({ length: 1_000 }, (_, i) => (i % 50 === 0 ? 1 : 0)); // 20 events, 2%

  it("keeps everything when the limit is not reached", () => {
    expect(sampleStratified(labels, 1_000, 1)).toHaveLength(1_000);
  });

  it("keeps the event rate, in order, the same for a seed and different for another", () => {
    const a = sampleStratified(labels, 100, 7);
    expect(a).toHaveLength(100);
    expect(a.filter((i) => labels[i] === 1)).toHaveLength(2);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(new Set(a).size).toBe(100);
    expect(sampleStratified(labels, 100, 7)).toEqual(a);
    expect(sampleStratified(labels, 100, 8)).not.toEqual(a);
  });

  it("keeps at least one event of a month that has any, and none of a month that has none", () => {
    expect(sampleStratified(labels, 10, 3).filter((i) => labels[i] === 1)).toHaveLength(1);
    expect(sampleStratified(labels.map(() => 0), 10, 3)).toHaveLength(10);
  });
});
