import { beforeAll, describe, expect, it } from "vitest";
import { clientAddress, markPeerStamping, parseTrustedProxies, PEER_HEADER, servedOverHttps, stampPeer } from "./client-address";

const req = (peer: string | null, forwardedFor?: string) =>
  new Headers({ ...(peer !== null ? { [PEER_HEADER]: peer } : {}), ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) });

describe("clientAddress before the server marks the process", () => {
  it("trusts no header at all, so a client cannot pick its address under a plain `next start`", () => {
    expect(clientAddress(req("198.51.100.7", "203.0.113.9"), null)).toBeNull();
  });
});

describe("clientAddress", () => {
  beforeAll(() => markPeerStamping());
  const proxies = parseTrustedProxies("10.0.0.0/8, 192.0.2.10, 2001:db8::/32");

  it("is the socket's address without TRUSTED_PROXIES, whatever X-Forwarded-For says", () => {
    expect(clientAddress(req("198.51.100.7", "6.6.6.6"), null)).toBe("198.51.100.7");
    expect(clientAddress(req("198.51.100.7", "6.6.6.6, 198.51.100.7"), null)).toBe("198.51.100.7");
    expect(clientAddress(req("::ffff:127.0.0.1"), null)).toBe("127.0.0.1");
    expect(clientAddress(req(null, "6.6.6.6"), null)).toBeNull();
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(clientAddress(req("198.51.100.7", "6.6.6.6"), proxies)).toBe("198.51.100.7");
  });

  it("walks X-Forwarded-For from the right past trusted proxies to the first address none vouches for", () => {
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 203.0.113.7"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(req("192.0.2.10", "6.6.6.6, 203.0.113.7, 10.1.2.3"), proxies)).toBe("203.0.113.7");
    expect(clientAddress(req("2001:db8::5", "[2001:db8:ffff::1]:443, 203.0.113.7:51000"), proxies)).toBe("203.0.113.7");
  });

  it("stops at the last trusted proxy when the chain runs out or holds garbage", () => {
    expect(clientAddress(req("10.0.0.2"), proxies)).toBe("10.0.0.2");
    expect(clientAddress(req("10.0.0.2", "not-an-ip, 10.0.0.3"), proxies)).toBe("10.0.0.3");
  });
});

describe("stampPeer", () => {
  it("replaces a peer header the client sent with the socket's address", () => {
    const incoming = { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" } as Record<string, string | string[] | undefined>, socket: { remoteAddress: "198.51.100.7" } };
    stampPeer(incoming as never);
    expect(incoming.headers[PEER_HEADER]).toBe("198.51.100.7");
  });
});

describe("parseTrustedProxies", () => {
  it("accepts addresses and CIDR ranges of both families, and names a bad entry", () => {
    expect(() => parseTrustedProxies("")).not.toThrow();
    expect(() => parseTrustedProxies("10.0.0.1, 172.16.0.0/12, ::1, fd00::/8")).not.toThrow();
    expect(() => parseTrustedProxies("10.0.0.1, proxy.internal")).toThrow(/proxy\.internal/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
  });
});

describe("servedOverHttps", () => {
  beforeAll(() => markPeerStamping());
  const proxies = parseTrustedProxies("10.0.0.0/8");
  const h = (peer: string, proto?: string) => new Headers({ [PEER_HEADER]: peer, ...(proto ? { "x-forwarded-proto": proto } : {}) });

  it("believes X-Forwarded-Proto only from a trusted proxy, reading the entry that proxy wrote", () => {
    expect(servedOverHttps(h("10.0.0.2", "https"), proxies)).toBe(true);
    expect(servedOverHttps(h("10.0.0.2", "http, https"), proxies)).toBe(true);
    expect(servedOverHttps(h("10.0.0.2", "https, http"), proxies)).toBe(false);
    expect(servedOverHttps(h("10.0.0.2"), proxies)).toBe(false);
    // A client talking to us directly cannot claim https.
    expect(servedOverHttps(h("198.51.100.7", "https"), proxies)).toBe(false);
    expect(servedOverHttps(h("10.0.0.2", "https"), null)).toBe(false);
  });
});
