// Renders the app's raster icons from public/favicon.svg in Chromium (the one the end-to-end tests use):
// public/icon-192.png and public/icon-512.png for the web manifest, and public/favicon.ico (16, 32 and 48 px PNGs in
// one ICO) for browsers that ask for /favicon.ico. Run after changing the mark: `npx tsx scripts/icons.ts`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const PUBLIC = path.join(import.meta.dirname, "..", "public");

/** An ICO holding PNG images (Windows Vista+ and every current browser read these). */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0); // width (0 means 256)
    e.writeUInt8(size >= 256 ? 0 : size, 1); // height
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3); // reserved
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

async function main() {
  const svg = readFileSync(path.join(PUBLIC, "favicon.svg"), "utf8");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    const render = async (size: number): Promise<Buffer> => {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`);
      return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    };
    for (const size of [192, 512]) writeFileSync(path.join(PUBLIC, `icon-${size}.png`), await render(size));
    const small = [];
    for (const size of [16, 32, 48]) small.push({ size, png: await render(size) });
    writeFileSync(path.join(PUBLIC, "favicon.ico"), ico(small));
  } finally {
    await browser.close();
  }
  console.log("wrote public/icon-192.png, public/icon-512.png, public/favicon.ico");
}

void main();
