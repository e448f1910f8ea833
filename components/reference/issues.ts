// Server field issues on the reference forms, in the user's language: reference.errors.<code> when the catalogue
// has it, the server's text otherwise.
import type { FieldIssue } from "@/lib/errors";

type T = { (key: string, values?: Record<string, string | number>): string; has: (key: string) => boolean };

export function referenceIssueText(t: T, values: Record<string, string | number> = {}): (i: FieldIssue) => string {
  return (i) => (t.has(`errors.${i.code}`) ? t(`errors.${i.code}`, values) : i.message);
}
