import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvalArgs, parseSeeds, resolveDataFile } from "./evalArgs";

describe("model:eval arguments", () => {
  it("a preset, seeds as a range, tuning flags", () => {
    const a = parseEvalArgs(["--dataset", "uci", "--seeds", "1-5", "--max-bins", "6", "--min-iv", "0.05"]);
    expect(a.source).toEqual({ preset: "uci" });
    expect(a.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(a.testShare).toBe(0.3);
    expect(a.train).toEqual({ minIv: 0.05, binning: { maxBins: 6 }, logistic: {} });
    const b = parseEvalArgs(["--dataset", "german", "--binning", "optimal", "--fine-bins", "50", "--l2-candidates", "1,10,100"]);
    expect(b.train).toEqual({ l2Candidates: [1, 10, 100], binning: { fineBins: 50, method: "optimal" }, logistic: {} });
    expect(() => parseEvalArgs(["--dataset", "uci", "--binning", "tree"])).toThrow(/--binning/);
  });
  it("a file with its label, positive class, separator and columns to drop", () => {
    const a = parseEvalArgs(["--file", "x.csv", "--label", "y", "--positive", "bad", "--sep", ";", "--drop", "id, name", "--seed", "7", "--test-share", "0.25"]);
    expect(a.source).toEqual({ file: "x.csv", label: "y", positive: "bad", sep: ";", drop: ["id", "name"] });
    expect(a.seeds).toEqual([7]);
    expect(a.testShare).toBe(0.25);
  });
  it("refuses what it cannot run", () => {
    expect(() => parseEvalArgs(["--file", "x.csv"])).toThrow(/--label/);
    expect(() => parseEvalArgs(["--dataset", "iris"])).toThrow(/not one of uci, german/);
    expect(() => parseEvalArgs(["--dataset", "uci", "--test-share", "1"])).toThrow(/--test-share/);
    expect(() => parseEvalArgs(["--dataset", "uci", "--seed", "1", "--seeds", "2"])).toThrow(/not both/);
    expect(() => parseSeeds("1,x")).toThrow(/whole numbers/);
    expect(parseSeeds("3,1")).toEqual([3, 1]);
  });
  it("a ../shared/datasets path that is not there is found in the data set folder", () => {
    const top = mkdtempSync(path.join(tmpdir(), "eval-"));
    const ds = path.join(top, "datasets", "x");
    mkdirSync(ds, { recursive: true });
    writeFileSync(path.join(ds, "a.csv"), "y\n1\n");
    const root = path.join(top, "repo");
    expect(resolveDataFile("../shared/datasets/x/a.csv", root, () => path.join(top, "datasets"))).toBe(path.join(ds, "a.csv"));
    expect(resolveDataFile(path.join(ds, "a.csv"), root, () => "/nowhere")).toBe(path.join(ds, "a.csv"));
    expect(() => resolveDataFile("missing.csv", root, () => "/nowhere")).toThrow(/no file/);
  });
});
