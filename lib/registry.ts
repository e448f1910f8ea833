// Every job and outbox topic of churnwatch, one line per domain (each declares its own in lib/<domain>/jobs.ts).
// Workers run this registry; producers (the app, the CLI, tests) open their queues with it.
import type { Redis } from "ioredis";
import { apiDomain } from "./api/jobs";
import { authDomain } from "./auth/jobs";
import { dashboardDomain } from "./dashboard/jobs";
import { importsDomain } from "./imports/jobs";
import { incentivesDomain } from "./incentives/jobs";
import { insightsDomain } from "./insights/jobs";
import { loansDomain } from "./loans/jobs";
import { modelDomain } from "./model/jobs";
import { pipelineDomain } from "./pipeline/jobs";
import { collect, createQueues, type Queues } from "./pipeline/queues";
import { reportsDomain } from "./reports/jobs";
import { rulesDomain } from "./rules/jobs";
import { signalsDomain } from "./signals/jobs";
import { tasksDomain } from "./tasks/jobs";

const domains = {
  pipeline: pipelineDomain,
  auth: authDomain,
  api: apiDomain,
  loans: loansDomain,
  imports: importsDomain,
  rules: rulesDomain,
  tasks: tasksDomain,
  dashboard: dashboardDomain,
  insights: insightsDomain,
  reports: reportsDomain,
  incentives: incentivesDomain,
  model: modelDomain,
  signals: signalsDomain,
};

export const registry = collect(domains);

type Domains = (typeof domains)[keyof typeof domains];
type JobsOf<D> = D extends { jobs: infer J } ? J : never;
type TopicsOf<D> = D extends { topics: infer T } ? T : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllJobs = UnionToIntersection<JobsOf<Domains>>;
type AllTopics = UnionToIntersection<TopicsOf<Domains>>;

// The pipeline checks job and topic names and payloads against these (lib/pipeline/define.ts).
declare module "./pipeline/define" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface JobCatalogue extends AllJobs {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface TopicCatalogue extends AllTopics {}
}
export type { JobName, JobPayload, TopicName, TopicPayload } from "./pipeline/define";

/** This process's queues, validating every payload against the registry. */
export const openQueues = (connection: Redis, prefix: string): Queues => createQueues(connection, prefix, registry);
