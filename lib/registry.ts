// Every job and outbox topic of churnwatch, one line per domain (each declares its own in lib/<domain>/jobs.ts).
// Workers run this registry; producers (the app, the CLI, tests) open their queues with it.
import type { Redis } from "ioredis";
import type { z } from "zod";
import { apiDomain } from "./api/jobs";
import { authDomain } from "./auth/jobs";
import { importsDomain } from "./imports/jobs";
import { loansDomain } from "./loans/jobs";
import { pipelineDomain } from "./pipeline/jobs";
import { collect, createQueues, type Queues } from "./pipeline/queues";
import { rulesDomain } from "./rules/jobs";
import { tasksDomain } from "./tasks/jobs";

const domains = {
  pipeline: pipelineDomain,
  auth: authDomain,
  api: apiDomain,
  loans: loansDomain,
  imports: importsDomain,
  rules: rulesDomain,
  tasks: tasksDomain,
};

export const registry = collect(domains);

type Domains = (typeof domains)[keyof typeof domains];
type JobsOf<D> = D extends { jobs: infer J } ? J : never;
type TopicsOf<D> = D extends { topics: infer T } ? T : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllJobs = UnionToIntersection<JobsOf<Domains>>;
type AllTopics = UnionToIntersection<TopicsOf<Domains>>;

export type JobName = keyof AllJobs & string;
export type JobPayload<N extends JobName> = AllJobs[N] extends { schema: infer S extends z.ZodType } ? z.input<S> : never;
export type TopicName = keyof AllTopics & string;
export type TopicPayload<T extends TopicName> = AllTopics[T] extends { schema: infer S extends z.ZodType } ? z.input<S> : never;

/** This process's queues, validating every payload against the registry. */
export const openQueues = (connection: Redis, prefix: string): Queues => createQueues(connection, prefix, registry);
