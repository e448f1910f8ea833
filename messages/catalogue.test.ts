// The two catalogues must stay in step: same keys, no blanks, same placeholders.
import { describe, expect, it } from "vitest";
import en from "./en.json";
import zh from "./zh-CN.json";

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** ICU argument names used in a message: "{name}", "{n, plural, ...}". */
function args(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

const zhKeys = flatten(zh as Tree);
const enKeys = flatten(en as Tree);

describe("message catalogues", () => {
  it("have identical key sets", () => {
    const onlyZh = [...zhKeys.keys()].filter((k) => !enKeys.has(k));
    const onlyEn = [...enKeys.keys()].filter((k) => !zhKeys.has(k));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
  });

  it("have no empty messages", () => {
    const empty = [...zhKeys, ...enKeys].filter(([, v]) => v.trim() === "").map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    const mismatched = [...zhKeys]
      .filter(([k, v]) => enKeys.has(k) && args(v).join() !== args(enKeys.get(k)!).join())
      .map(([k]) => k);
    expect(mismatched).toEqual([]);
  });
});
