// Weight of evidence and information value. WoE is taken as ln(event share / non-event share), so a bin where the
// event (churn, default) is more likely than on average has a positive WoE and, with a positive coefficient, adds
// points to the risk score. Counts are smoothed by `SMOOTHING` so a bin with no events or no non-events still has a
// finite WoE (small bins are common in the public sets and in a young portfolio).

export const SMOOTHING = 0.5;

/** WoE of a bin with `events` and `nonEvents`, among `totalEvents` and `totalNonEvents` rows overall. */
export function woe(events: number, nonEvents: number, totalEvents: number, totalNonEvents: number, smoothing = SMOOTHING): number {
  if (totalEvents <= 0 || totalNonEvents <= 0) throw new RangeError("WoE needs both events and non-events in the training rows");
  return Math.log((events + smoothing) / totalEvents / ((nonEvents + smoothing) / totalNonEvents));
}

/** A bin's part of the information value: (event share − non-event share) × WoE. Never negative. */
export function binIv(events: number, nonEvents: number, totalEvents: number, totalNonEvents: number, smoothing = SMOOTHING): number {
  return (events / totalEvents - nonEvents / totalNonEvents) * woe(events, nonEvents, totalEvents, totalNonEvents, smoothing);
}
