import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React Server Components; domain code is plain Node in tests.
  "server-only": path.resolve(import.meta.dirname, "test/empty.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["{lib,workers,scripts,app,components,i18n,messages}/**/*.test.ts"], exclude: ["**/*.int.test.ts", "node_modules/**"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "int",
          include: ["{lib,workers,scripts,app,test}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["test/int-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file gets its own database; two at a time is what 2 cores carry.
          maxWorkers: 2,
          // As Playwright's: one retry in CI, where a run shares the machine; scripts/test.ts names every test that needed it.
          retry: process.env.CI ? 1 : 0,
          // next-auth imports "next/server" without an extension, which only a bundler resolves: let vite load it.
          server: { deps: { inline: ["next-auth"] } },
        },
      },
    ],
  },
});
