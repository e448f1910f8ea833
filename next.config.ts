import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { securityHeaders } from "./lib/http/security-headers";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  // Native and server-only packages are loaded from node_modules at run time, not bundled. ExcelJS too: its unzipper
  // has optional cloud-storage readers (`require("@aws-sdk/client-s3")`) that a bundler tries and fails to resolve.
  serverExternalPackages: ["@node-rs/argon2", "@node-rs/jieba", "pino", "bullmq", "ioredis", "postgres", "@bull-board/api", "@bull-board/hono", "@bull-board/ui", "exceljs", "playwright", "playwright-core"],
  poweredByHeader: false,
  // Route handlers under /api/ stay out of the proxy: Next buffers the body of every request the proxy sees (and cuts
  // it at 10 MB), and imports upload up to 200 MB. Their security headers come from here instead; HSTS, which needs
  // the request's trusted-proxy check, comes with the pages (a browser applies it to the whole host).
  async headers() {
    const list = (h: Record<string, string>) => Object.entries(h).map(([key, value]) => ({ key, value }));
    return [
      { source: "/api/:path*", headers: list(securityHeaders({ kind: "other", https: false })) },
      // Later entries win: Auth.js's own pages (sign-out confirmation, errors) get theirs.
      { source: "/api/auth/:path*", headers: list(securityHeaders({ kind: "auth", https: false })) },
    ];
  },
  typedRoutes: false,
};

export default withNextIntl(nextConfig);
