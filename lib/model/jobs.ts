// The model domain's jobs: a training run (progress in model_versions) and the daily check of today's population
// against the active model's training population (PSI above 0.25 warns the admins).
import { z } from "zod";
import { job, type Domain } from "../pipeline/define";
import { businessTz, isoDateSchema, todayIn } from "../time";
import { checkPopulationPsi, scoreLoans } from "./scoring";
import { failTraining, runTraining } from "./versions";

const versionId = z.number().int().positive();

export const modelDomain = {
  jobs: {
    // Trains one requested version (./versions.ts runTraining); a re-run after a crash starts over, a finished one skips.
    "model.train": job({
      queue: "imports",
      schema: z.object({ versionId, today: isoDateSchema.optional() }),
      handle: ({ versionId, today }, { db }) => runTraining(db, versionId, { today: today ?? todayIn(businessTz()) }),
      onFinalFailure: ({ versionId }, message, { db }) => failTraining(db, versionId, message),
      options: { attempts: 1 },
    }),
    // Right after an activation: the whole portfolio scored by the new version (the nightly COB does it daily after).
    "model.scorePortfolio": job({
      queue: "evaluation",
      schema: z.object({ asOf: isoDateSchema }),
      handle: async ({ asOf }, { db, log }) => {
        const r = await scoreLoans(db, { kind: "all" }, asOf);
        const psi = await checkPopulationPsi(db, asOf);
        log.info({ ...r, ...psi }, "portfolio scored by the active model");
        return { ...r, ...psi };
      },
    }),
    // After the nightly COB has scored the portfolio (./scoring.ts checkPopulationPsi).
    "model.psiCheck": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_p, { db, log }) => {
        const r = await checkPopulationPsi(db, todayIn(businessTz()));
        if (r.warned) log.warn(r, "model population drift: admins warned");
        return r;
      },
      schedule: { id: "model.psiCheck.daily", pattern: "30 6 * * *", data: {} },
    }),
  },
} satisfies Domain;
