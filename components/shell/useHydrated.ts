"use client";
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** False while the server's HTML is on screen (and during hydration), true once React has hydrated it. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
