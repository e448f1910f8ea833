// The typed job registry's contract: every job's name, queue and payload schema. Producers (app, CLI) import
// this; workers/registry.ts adds the handlers. Payloads carry ids, never personal data.
import { z } from "zod";

export const QUEUES = ["system"] as const;
export type QueueName = (typeof QUEUES)[number];

export const jobDefinitions = {
  // Drops failed sign-in records older than the throttle window's retention.
  "system.purgeAuthFailures": { queue: "system", schema: z.object({ olderThanDays: z.number().int().min(1).max(365).default(7) }) },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodType }>;

export type JobName = keyof typeof jobDefinitions;
export type JobPayload<N extends JobName> = z.input<(typeof jobDefinitions)[N]["schema"]>;

// Shared defaults: retries with exponential backoff, bounded history so Redis does not grow without limit.
export const defaultJobOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
} as const;

// Recurring work: stable scheduler ids, explicit time zone.
export const schedules: { id: string; job: JobName; pattern: string; tz: string; data: object }[] = [
  { id: "system.purgeAuthFailures.daily", job: "system.purgeAuthFailures", pattern: "30 3 * * *", tz: "Asia/Shanghai", data: { olderThanDays: 7 } },
];
