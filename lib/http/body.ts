// Request bodies of the JSON API, read with a ceiling: a declared Content-Length over it is refused before a byte
// is read, and a body without one (chunked) is counted as it streams and cut off at the limit, so an over-size
// request never sits in memory whole.
import { TooLarge } from "../errors";
import { formatBytes } from "../imports/view";

/** Every /api/v1 write fits in this many bytes (a batch of 1,000 repayments is about 150 KB). Uploads have their own cap. */
export const API_BODY_MAX_BYTES = 1024 * 1024;

/** The body as text (UTF-8), or TooLarge (413) once it passes `max` bytes. */
export async function readBodyText(req: Request, max = API_BODY_MAX_BYTES): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > max) throw new TooLarge(formatBytes(max));
  if (!req.body) return "";
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > max) {
      // Stop the upload: the rest is never read.
      await reader.cancel().catch(() => {});
      throw new TooLarge(formatBytes(max));
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** The body parsed as JSON after the size check; null when it is not JSON (the caller's schema then says why). */
export async function readBodyJson(req: Request, max = API_BODY_MAX_BYTES): Promise<unknown> {
  const text = await readBodyText(req, max);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
