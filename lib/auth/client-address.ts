// The client's network address, for the per-address sign-in throttle. Next does not expose the socket: it only
// fills X-Forwarded-For with the socket address when the request has none, so a client that sends its own header
// picks its address. Our server (scripts/serve.ts) therefore writes the socket address into PEER_HEADER on every
// request, replacing whatever the client sent, and marks the process; without that mark the header is ignored.
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

export const PEER_HEADER = "x-churnwatch-peer";
const STAMPED = Symbol.for("churnwatch.peerStamped");

/** Called by the server before it takes requests: from then on PEER_HEADER is the server's word, not the client's. */
export function markPeerStamping(): void {
  (globalThis as Record<symbol, unknown>)[STAMPED] = true;
}

function peerStamped(): boolean {
  return (globalThis as Record<symbol, unknown>)[STAMPED] === true;
}

/** Overwrites PEER_HEADER with the socket's address (an empty value when the socket has none). */
export function stampPeer(req: Pick<IncomingMessage, "headers" | "socket">): void {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; proxies write either form for the same IPv4 client. */
function normalise(address: string): string | null {
  let a = address.trim();
  // "[2001:db8::1]:443" and "203.0.113.7:51000" (some proxies append the port).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a)) a = a.slice(7);
  return isIP(a) ? a.toLowerCase() : null;
}

/** Parses TRUSTED_PROXIES ("10.0.0.0/8, 192.0.2.10, 2001:db8::/32"); throws naming the first bad entry. */
export function parseTrustedProxies(spec: string): BlockList {
  const list = new BlockList();
  for (const raw of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits, extra] = raw.split("/");
    const ip = addr ? normalise(addr) : null;
    const family = ip ? (isIP(ip) === 6 ? "ipv6" : "ipv4") : null;
    const prefix = bits === undefined ? null : Number(bits);
    const maxBits = family === "ipv6" ? 128 : 32;
    if (!ip || !family || extra !== undefined || (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= maxBits))) {
      throw new Error(`not an IP address or CIDR range: ${raw}`);
    }
    if (prefix === null) list.addAddress(ip, family);
    else list.addSubnet(ip, prefix, family);
  }
  return list;
}

function trusted(list: BlockList, ip: string): boolean {
  return list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client address: the socket's peer, unless that peer is a trusted proxy, in which case X-Forwarded-For is walked
 * from the right past every trusted proxy, and the first address no trusted proxy vouches for is the client.
 * Null when the server did not stamp the peer (e.g. plain `next start`): then only the per-account throttle applies.
 */
export function clientAddress(headers: Headers, trustedProxies: BlockList | null): string | null {
  if (!peerStamped()) return null;
  const peer = normalise(headers.get(PEER_HEADER) ?? "");
  if (!peer || !trustedProxies) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").filter((s) => s.trim());
  let client = peer;
  while (trusted(trustedProxies, client)) {
    const next = hops.pop();
    const ip = next === undefined ? null : normalise(next);
    // The chain ends (or holds garbage) at a trusted proxy: that proxy is the nearest address anyone vouches for.
    if (!ip) return client;
    client = ip;
  }
  return client;
}

/**
 * Whether the browser reached us over https: only a trusted proxy's word counts (the socket itself is plain http),
 * so X-Forwarded-Proto is read only when the peer is in TRUSTED_PROXIES, and then its last entry, the one the proxy
 * next to us wrote. Decides HSTS: a header a client could forge would let it pin a plain-http install to https.
 */
export function servedOverHttps(headers: Headers, trustedProxies: BlockList | null): boolean {
  if (!peerStamped() || !trustedProxies) return false;
  const peer = normalise(headers.get(PEER_HEADER) ?? "");
  if (!peer || !trusted(trustedProxies, peer)) return false;
  const proto = (headers.get("x-forwarded-proto") ?? "").split(",").pop()?.trim().toLowerCase();
  return proto === "https";
}
