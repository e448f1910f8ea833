import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localiseBoardHtml } from "./board-html";

// The installed board's own page template: what a board upgrade changes is what this test reads.
const template = readFileSync(path.resolve("node_modules/@bull-board/ui/dist/index.ejs"), "utf8");

describe("localiseBoardHtml", () => {
  it("replaces the installed board's Google Fonts stylesheet with the local one", () => {
    expect(template).toContain("fonts.googleapis.com");
    const out = localiseBoardHtml(template);
    expect(out).not.toMatch(/googleapis|gstatic/);
    expect(out).toContain('<link href="local-fonts.css" rel="stylesheet">');
    expect(out).toContain("static/css/main.");
  });

  it("refuses a page that still refers to another origin", () => {
    expect(() => localiseBoardHtml('<script src="https://cdn.example.com/x.js"></script>')).toThrow(/another origin/);
    expect(() => localiseBoardHtml("<img src=//cdn.example.com/x.png>")).toThrow(/another origin/);
    expect(localiseBoardHtml('<script src="static/js/main.js"></script>')).toContain("static/js/main.js");
  });
});
