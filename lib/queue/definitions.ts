// The typed job registry's contract: every job's name, queue and payload schema. Producers (app, CLI) import
// this; workers/registry.ts adds the handlers. Payloads carry ids, never personal data.
import { z } from "zod";
import { isIsoDate } from "../time";

export const QUEUES = ["system", "loans", "imports", "evaluation", "tasks"] as const;
export type QueueName = (typeof QUEUES)[number];

const isoDate = z.string().refine(isIsoDate, "expected a YYYY-MM-DD date");
// The outbox rows a job alone carries (lib/outbox/dispatch.ts): the worker confirms them once the job completed.
const outboxIds = z.array(z.number().int().positive()).max(1_000).optional();

export const jobDefinitions = {
  // Drops failed sign-in records older than the throttle window's retention.
  "system.purgeAuthFailures": { queue: "system", schema: z.object({ olderThanDays: z.number().int().min(1).max(365).default(7) }) },
  // Moves pending outbox rows to their jobs; scheduled every few seconds and nudged after writes.
  "outbox.dispatch": { queue: "system", schema: z.object({}) },
  // Re-sends outbox work whose jobs Redis lost, and confirms what completed.
  "outbox.reconcile": { queue: "system", schema: z.object({ olderThanMs: z.number().int().min(0).default(60_000) }) },
  // Re-derives DPD, classification and allocations for changed loans (new or corrected repayments, schedules).
  "loans.recompute": { queue: "loans", schema: z.object({ loanIds: z.array(z.number().int().positive()).min(1).max(5_000), asOf: isoDate, outboxIds }) },
  // The whole portfolio for a business date; without asOf, today in Asia/Shanghai when the job runs.
  "loans.recomputeAll": { queue: "loans", schema: z.object({ asOf: isoDate.optional() }) },
  // Runs one uploaded file through the import engine (lib/imports/job.ts); the imports row carries the rest.
  "imports.run": { queue: "imports", schema: z.object({ importId: z.number().int().positive(), asOf: isoDate.optional() }) },
  // Re-queues imports still waiting a while after upload whose job Redis lost (lib/imports/reconcile.ts).
  "imports.reconcile": { queue: "system", schema: z.object({ olderThanMs: z.number().int().min(0).default(60_000) }) },
  // Evaluates the warning rules for changed loans (and their customers and applications): lib/rules/evaluate.ts.
  "evaluation.batch": { queue: "evaluation", schema: z.object({ loanIds: z.array(z.number().int().positive()).min(1).max(5_000), asOf: isoDate, outboxIds }) },
  // One slice of a nightly portfolio run (COB), a child of the run's "cob.finish" flow job: lib/rules/cob.ts.
  "cob.partition": { queue: "evaluation", schema: z.object({ runId: z.number().int().positive(), partitionNo: z.number().int().min(0) }) },
  // Runs once every partition is done: customer and application rules for the whole portfolio, then closes the run.
  "cob.finish": { queue: "evaluation", schema: z.object({ runId: z.number().int().positive() }) },
  // Re-enqueues COB partitions whose jobs Redis lost and finishes runs whose partitions are all done.
  "cob.reconcile": { queue: "system", schema: z.object({ olderThanMs: z.number().int().min(0).default(60_000) }) },
  // Starts the nightly COB for today in Asia/Shanghai (or asOf), unless one for that date is already running.
  "cob.nightly": { queue: "system", schema: z.object({ asOf: isoDate.optional() }) },
  // Opens or updates intervention tasks for new and re-opened warnings (outbox topics warning.opened/reopened).
  "tasks.fromWarnings": { queue: "tasks", schema: z.object({ warningIds: z.array(z.number().int().positive()).min(1).max(5_000), outboxIds }) },
  // A task's SLA timer falling due (delayed job; the id carries the due time): fires whatever is due for the task.
  "tasks.timer": { queue: "tasks", schema: z.object({ taskId: z.number().int().positive() }) },
  // Every minute: fires due SLA timers, next-action reminders and promise-to-pay checks from Postgres, and
  // re-creates delayed timer jobs Redis lost for the next hour.
  "tasks.sweep": { queue: "system", schema: z.object({}) },
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

// The nightly COB's scheduler; its time is an admin setting (lib/rules/schedule.ts), this pattern the default.
export const COB_NIGHTLY = { id: "cob.nightly.daily", job: "cob.nightly", pattern: "0 2 * * *", tz: "Asia/Shanghai", data: {} } as const;

// Recurring work: stable scheduler ids, explicit time zone.
export const schedules: ({ id: string; job: JobName; data: object } & ({ pattern: string; tz: string } | { every: number }))[] = [
  // The reconciler for the outbox: whatever a lost nudge or a Redis flush left pending goes out within seconds.
  { id: "outbox.dispatch.sweep", job: "outbox.dispatch", every: 5_000, data: {} },
  { id: "outbox.reconcile.sweep", job: "outbox.reconcile", every: 60_000, data: { olderThanMs: 60_000 } },
  { id: "imports.reconcile.sweep", job: "imports.reconcile", every: 60_000, data: { olderThanMs: 60_000 } },
  { id: "system.purgeAuthFailures.daily", job: "system.purgeAuthFailures", pattern: "30 3 * * *", tz: "Asia/Shanghai", data: { olderThanDays: 7 } },
  { id: "loans.recomputeAll.daily", job: "loans.recomputeAll", pattern: "0 1 * * *", tz: "Asia/Shanghai", data: {} },
  { id: "cob.reconcile.sweep", job: "cob.reconcile", every: 60_000, data: { olderThanMs: 60_000 } },
  { id: "tasks.sweep", job: "tasks.sweep", every: 60_000, data: {} },
  // After the 01:00 delinquency recompute, so the rules see the day's DPD and classification.
  { ...COB_NIGHTLY },
];
