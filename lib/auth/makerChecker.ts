// Maker-checker, the one way: rule, lexicon and incentive-scheme versions and incentive adjustments are proposed by
// one user and decided by another. What every decision checks first, and the note a rejection carries.
import { z } from "zod";
import { Conflict, NotFound } from "../errors";

/** The reason given with a rejection (and the API's and forms' field `note`). */
export const decisionNoteSchema = z.string().trim().min(1).max(500);

/**
 * The proposal a decision is about, locked by the caller: it exists (else `notFound` names `what`), is still pending
 * (else `notPending`), and is not the decider's own (else `reason`, the catalogue's maker-checker message).
 */
export function pendingProposal<P extends { status: string }>(p: P | undefined, proposedBy: (p: P) => number | null, decider: number, what: string, reason: string): P {
  if (!p) throw new NotFound(what);
  if (p.status !== "proposed") throw new Conflict("notPending");
  if (proposedBy(p) === decider) throw new Conflict(reason);
  return p;
}
