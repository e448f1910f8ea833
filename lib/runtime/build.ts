// `next build` only when the sources changed since the last build (a hash of them is kept beside the build).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const INPUTS = ["app", "components", "lib", "i18n", "messages", "public", "proxy.ts", "next.config.ts", "tsconfig.json", "package-lock.json"];

export function sourceHash(root = ROOT): string {
  const h = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) if (!e.endsWith(".test.ts")) walk(path.join(p, e));
    } else {
      h.update(path.relative(root, p));
      h.update(readFileSync(p));
    }
  };
  for (const p of INPUTS) walk(path.join(root, p));
  return h.digest("hex");
}

const stampFile = (root: string) => path.join(root, ".next", "churnwatch-build.txt");

export function buildIsCurrent(root = ROOT): boolean {
  return existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stampFile(root)) && readFileSync(stampFile(root), "utf8") === sourceHash(root);
}

export async function buildIfNeeded(env: NodeJS.ProcessEnv, log: (m: string) => void, root = ROOT): Promise<void> {
  if (buildIsCurrent(root)) return;
  log("building the app (next build) …");
  const hash = sourceHash(root);
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "inherit",
    });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`))));
  });
  writeFileSync(stampFile(root), hash);
}
