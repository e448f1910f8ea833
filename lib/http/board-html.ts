// The Bull Board page, made to load nothing from another origin (lib/http/board.ts serves the replacements).

export const FONTS_CSS_PATH = "local-fonts.css";
export const FONT_FILES_PATH = "local-fonts";

/** The board's HTML with every reference to another origin replaced by a local one; throws if one is left. */
export function localiseBoardHtml(html: string): string {
  const out = html.replace(/<link[^>]+href="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>/g, `<link href="${FONTS_CSS_PATH}" rel="stylesheet">`);
  // A board release that adds another outside resource must fail here, in tests, not in a bank's browser.
  const left = /\b(?:src|href|action)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]*/i.exec(out);
  if (left) throw new Error(`Bull Board page refers to another origin: ${left[0]}`);
  return out;
}
