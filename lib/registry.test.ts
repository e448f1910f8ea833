// The registry's contract: every job has a handler on a known queue, every topic a payload schema and a consumer
// that exists, every followed-through topic a consumer, every schedule a distinct id.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZodType } from "zod";
import { QUEUES } from "./pipeline/define";
import { collect } from "./pipeline/queues";
import { registry } from "./registry";

const jobs = Object.entries(registry.jobs);
const topics = Object.entries(registry.topics);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

describe("the job registry", () => {
  it("gives every job a payload schema, a handler and a known queue", () => {
    expect(jobs.length).toBeGreaterThan(10);
    for (const [name, def] of jobs) {
      expect(name, name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(def.schema, name).toBeInstanceOf(ZodType);
      expect(typeof def.handle, name).toBe("function");
      expect(QUEUES, name).toContain(def.queue);
    }
  });

  it("gives every topic a payload schema and a consumer job that exists", () => {
    expect(topics.length).toBeGreaterThan(0);
    for (const [name, def] of topics) {
      expect(def.schema, name).toBeInstanceOf(ZodType);
      expect(registry.jobs, `${name} → ${def.consumer}`).toHaveProperty([def.consumer]);
      expect(typeof def.plan, name).toBe("function");
    }
  });

  it("plans a topic's rows into jobs of its consumer only", () => {
    const samples: Record<string, Record<string, unknown>> = {
      "loans.recompute": { loanIds: [2, 1], asOf: "2026-06-30" },
      "loans.changed": { loanIds: [3], asOf: "2026-06-30" },
      "warning.opened": { warningId: 7 },
      "warning.reopened": { warningId: 8 },
      "reports.requested": { reportId: 4 },
      "reports.changed": { reportId: 4 },
    };
    for (const [name, def] of topics) {
      const sample = samples[name];
      expect(sample, `add a sample payload for ${name} to this test`).toBeDefined();
      expect(def.schema.safeParse(sample).success, name).toBe(true);
      const batches = def.plan([{ id: 1, topic: name, payload: sample! }]);
      for (const j of batches.flatMap((b) => b.jobs)) {
        expect(j.name, name).toBe(def.consumer);
        // What the dispatcher would enqueue passes the consumer's own schema.
        expect(registry.jobs[j.name]!.schema.safeParse(j.data).success, `${name} → ${j.name}`).toBe(true);
      }
    }
  });

  it("follows through only topics that exist", () => {
    for (const [name, def] of jobs) for (const t of def.followThrough ?? []) expect(registry.topics, `${name} follows ${t}`).toHaveProperty([t]);
  });

  it("gives every schedule its own id", () => {
    const ids = jobs.flatMap(([, d]) => (d.schedule ? [d.schedule.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("refuses a name declared twice", () => {
    const one = registry.jobs["tasks.sweep"]!;
    expect(() => collect({ a: { jobs: { "x.y": one } }, b: { jobs: { "x.y": one } } })).toThrow(/declared twice/);
  });

  it("has every outbox row written through emit: no raw insert into the outbox outside lib/pipeline", () => {
    const root = path.resolve(import.meta.dirname, "..");
    const offenders = ["lib", "app", "workers", "scripts"]
      .flatMap((d) => sources(path.join(root, d)))
      .filter((f) => !f.includes(`${path.sep}pipeline${path.sep}`) && /insert\s+into\s+outbox/i.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });
});
