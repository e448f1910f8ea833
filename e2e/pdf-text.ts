// The text of a PDF as Chromium (Skia) writes it, for tests: no PDF library is installed, so this reads the file itself —
// objects, Flate-compressed streams, each page's fonts and their ToUnicode maps, and the text operators (Tf, Tj, TJ) of
// the page contents — and maps the glyph codes back to Unicode. Enough for Chromium's output, not a general parser.
import { inflateSync } from "node:zlib";

type Obj = { dict: string; stream: Buffer | null };

function objects(pdf: Buffer): Map<number, Obj> {
  const text = pdf.toString("latin1");
  const out = new Map<number, Obj>();
  const re = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const endObj = text.indexOf("endobj", start);
    const s = text.indexOf("stream", start);
    if (endObj < 0) break;
    if (s < 0 || s > endObj || !text.slice(start, s).includes("<<")) {
      out.set(Number(m[1]), { dict: text.slice(start, endObj), stream: null });
      re.lastIndex = endObj;
      continue;
    }
    // A stream: its length is in the dictionary (Chromium writes it directly), so binary data never confuses the scan.
    const dict = text.slice(start, s);
    let from = s + "stream".length;
    if (text[from] === "\r") from++;
    if (text[from] === "\n") from++;
    const len = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    const to = len ? from + Number(len[1]) : text.indexOf("endstream", from);
    const raw = pdf.subarray(from, to);
    out.set(Number(m[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
    re.lastIndex = text.indexOf("endobj", to);
    if (re.lastIndex < 0) break;
  }
  return out;
}

/** A ToUnicode CMap: code (hex) → text. */
function cmap(src: string): Map<number, string> {
  const map = new Map<number, string>();
  const hex = (h: string) => {
    let s = "";
    for (let i = 0; i < h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, uni] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(code!, 16), hex(uni!));
  for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const a = parseInt(lo!, 16);
      const b = parseInt(hi!, 16);
      if (dst!.startsWith("[")) [...dst!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => map.set(a + i, hex(d[1]!)));
      else {
        const base = hex(dst!.slice(1, -1));
        for (let c = a; c <= b; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - a)));
      }
    }
  }
  return map;
}

const ref = (dict: string, key: string) => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** The text of every page, in order of the page objects; runs inside one BT…ET block are joined, blocks by newlines. */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  const pages: string[] = [];
  for (const [, o] of objs) {
    if (!/\/Type\s*\/Page\b/.test(o.dict)) continue;
    let res = o.dict;
    const resRef = ref(o.dict, "Resources");
    if (resRef != null) res = objs.get(resRef)?.dict ?? "";
    let fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(res)?.[1] ?? "";
    const fontRef = ref(res, "Font");
    if (fontRef != null) fontDict = objs.get(fontRef)?.dict ?? "";
    const fonts = new Map<string, { map: Map<number, string>; wide: boolean }>();
    for (const [, name, num] of fontDict.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)) {
      const f = objs.get(Number(num));
      const cm = f && ref(f.dict, "ToUnicode");
      fonts.set(name!, { map: cm != null ? cmap(objs.get(cm)?.stream?.toString("latin1") ?? "") : new Map(), wide: /\/Type0/.test(f?.dict ?? "") });
    }
    const contents = /\/Contents\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? /\/Contents\s+(\d+ 0 R)/.exec(o.dict)?.[1] ?? "";
    const content = [...contents.matchAll(/(\d+) 0 R/g)].map((c) => objs.get(Number(c[1]))?.stream?.toString("latin1") ?? "").join("\n");
    let font = { map: new Map<number, string>(), wide: false };
    const blocks: string[] = [];
    let cur = "";
    const decode = (bytes: number[]) => {
      let s = "";
      const step = font.wide ? 2 : 1;
      for (let i = 0; i + step <= bytes.length; i += step) {
        const code = step === 2 ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]!;
        s += font.map.get(code) ?? (font.wide ? "" : String.fromCharCode(code));
      }
      return s;
    };
    const hexBytes = (h: string) => Array.from({ length: Math.floor(h.replace(/\s/g, "").length / 2) }, (_, i) => parseInt(h.replace(/\s/g, "").slice(i * 2, i * 2 + 2), 16));
    const litBytes = (l: string) => [...l.replace(/\\([()\\])/g, "$1")].map((c) => c.charCodeAt(0));
    for (const tok of content.matchAll(/\/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj|\[((?:[^\]\\]|\\.)*)\]\s*TJ|\bET\b/g)) {
      if (tok[1]) font = fonts.get(tok[1]) ?? font;
      else if (tok[2] !== undefined) cur += decode(hexBytes(tok[2]));
      else if (tok[3] !== undefined) cur += decode(litBytes(tok[3]));
      else if (tok[4] !== undefined) for (const part of tok[4].matchAll(/<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)/g)) cur += decode(part[1] !== undefined ? hexBytes(part[1]) : litBytes(part[2]!));
      else {
        if (cur) blocks.push(cur);
        cur = "";
      }
    }
    if (cur) blocks.push(cur);
    pages.push(blocks.join("\n"));
  }
  // CJK fonts share one glyph between a Kangxi radical and its ideograph (⼀ U+2F00, 一 U+4E00), and the ToUnicode map
  // may name the radical: fold those back, as text extractors do.
  return pages.join("\n\f\n").replace(/[\u2e80-\u2fdf]/g, (c) => c.normalize("NFKC"));
}
