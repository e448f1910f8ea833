import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  // Native and server-only packages are loaded from node_modules at run time, not bundled. ExcelJS too: its unzipper
  // has optional cloud-storage readers (`require("@aws-sdk/client-s3")`) that a bundler tries and fails to resolve.
  serverExternalPackages: ["@node-rs/argon2", "@node-rs/jieba", "pino", "bullmq", "ioredis", "postgres", "@bull-board/api", "@bull-board/hono", "@bull-board/ui", "exceljs"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default withNextIntl(nextConfig);
