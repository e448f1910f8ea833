import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  // Native and server-only packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "pino", "bullmq", "ioredis", "postgres", "@bull-board/api", "@bull-board/hono", "@bull-board/ui"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default withNextIntl(nextConfig);
