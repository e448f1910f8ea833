// Server field issues → form errors in the user's language (reference.errors.<code>, falling back to the server's
// text); returns the issues that belong to no field of this form, for an alert above it.
import type { FormInstance } from "antd";
import type { FieldIssue } from "@/lib/errors";

type T = { (key: string, values?: Record<string, string | number>): string; has: (key: string) => boolean };

export function showIssues(form: FormInstance, t: T, issues: FieldIssue[], fields: readonly string[], values: Record<string, string | number> = {}): FieldIssue[] {
  const text = (i: FieldIssue) => (t.has(`errors.${i.code}`) ? t(`errors.${i.code}`, values) : i.message);
  const mine = issues.filter((i) => fields.includes(i.field));
  form.setFields(mine.map((i) => ({ name: i.field, errors: [text(i)] })));
  return issues.filter((i) => !fields.includes(i.field)).map((i) => ({ ...i, message: text(i) }));
}
