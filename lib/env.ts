// Environment, parsed once with zod: a bad value fails at start-up with the variable's name, not later.
import { z } from "zod";
import { parseTrustedProxies } from "./auth/client-address";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

// What every process needs: where the data and the queues are, and how it logs.
const sharedSettings = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_:-]+$/)
    .default("churnwatch"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  TZ_BUSINESS: z.string().default("Asia/Shanghai"),
  // Test-only hooks (e.g. the clock control) are refused unless this is on and NODE_ENV is not production.
  CHURNWATCH_TEST_HOOKS: bool.default(false),
};

// A worker process (`npm run worker`): the shared settings and its own; it never signs anyone in.
export const workerEnvSchema = z.object({
  ...sharedSettings,
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
});

// The web process (and `npm start`, which runs both).
export const envSchema = workerEnvSchema.extend({
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SESSION_IDLE_HOURS: z.coerce.number().positive().max(24).default(8),
  // Absolute session lifetime from sign-in (ASVS 3.3.2): activity does not extend it.
  SESSION_MAX_HOURS: z.coerce.number().positive().max(24).default(12),
  // Sign-in and change-password attempts: this many failures in the window are free, then each further attempt
  // waits 2^k seconds after the previous failure (k = failures beyond the free ones), at most LOGIN_MAX_DELAY_SECONDS.
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  // Reverse proxies in front of the app (IPs or CIDR ranges, comma-separated). Unset: the client address is the
  // socket's; set: X-Forwarded-For is walked from the right past these proxies.
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    }),
  // Requests per minute one API token may make (all instances together); past it the API answers 429. Generous
  // by default: a core-banking feed posting 200 repayments a second through one token stays under it.
  API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(12_000),
  // The rule backtest scans the caller's whole portfolio for every date of its series: a few runs a minute per user,
  // and each statement cut off after BACKTEST_TIMEOUT_MS so one click cannot load the database for minutes.
  BACKTEST_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  BACKTEST_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(20_000),
  // Optional SSO: all three set enables the OIDC sign-in button.
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().default("SSO"),
  // npm start: load the demo portfolio into an empty database (set 0 for a production install) and its size.
  CHURNWATCH_DEMO: bool.default(true),
  CHURNWATCH_DEMO_CUSTOMERS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
});

export type Env = z.infer<typeof envSchema>;
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export class EnvError extends Error {}

/** Parses the environment against a process's schema; every problem is named with its variable. */
function parseWith<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  // Empty strings count as unset, as they do in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const env = parseWith(envSchema, source);
  // Silently ignoring it would make a proxied install see every client as the proxy's one address.
  if (source.TRUSTED_PROXY_HOPS) {
    throw new EnvError("Invalid environment configuration:\n  TRUSTED_PROXY_HOPS is replaced by TRUSTED_PROXIES: list your reverse proxies' addresses or CIDR ranges");
  }
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    throw new EnvError("Invalid environment configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together");
  }
  return env;
}

export const parseWorkerEnv = (source: Record<string, string | undefined>): WorkerEnv => parseWith(workerEnvSchema, source);

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function oidcEnabled(e: Env = env()): boolean {
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET);
}
