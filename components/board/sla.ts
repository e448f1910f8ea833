// Pure helpers for the board's deadline column: how far a deadline is from "now", as whole days / hours / minutes.
export type Span = { unit: "days" | "hours" | "minutes"; n: number };

/** The distance between two instants in the largest unit that is at least 1 (minutes below an hour). */
export function span(fromMs: number, toMs: number): Span {
  const minutes = Math.floor(Math.abs(toMs - fromMs) / 60_000);
  if (minutes >= 24 * 60) return { unit: "days", n: Math.floor(minutes / (24 * 60)) };
  if (minutes >= 60) return { unit: "hours", n: Math.floor(minutes / 60) };
  return { unit: "minutes", n: Math.max(1, minutes) };
}
