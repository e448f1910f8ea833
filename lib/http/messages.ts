// Renders an AppError through the catalogue (errors.<code>; conflicts name their reason in errors.conflicts.*).
import type { AppError } from "../errors";

type T = {
  (key: string, values?: Record<string, string | number>): string;
  has: (key: string) => boolean;
};

export function appErrorMessage(t: T, e: AppError): string {
  const values: Record<string, string | number> = { ...e.params };
  if (e.code === "conflict") {
    const key = `conflicts.${String(e.params.reason)}`;
    values.reason = t.has(key) ? t(key) : String(e.params.reason);
  }
  return t(e.code, values);
}
