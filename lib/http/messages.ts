// The one place where errors get their words: field issues (issues.<key ?? code>), expected errors (errors.<code>)
// and the body every error answer carries. It reads messages/*.json with the locale given explicitly, so a route, a
// server action, the CLI and an error report written outside a request all word a problem the same way.
import { randomUUID } from "node:crypto";
import { createTranslator } from "use-intl/core";
import en from "../../messages/en.json";
import zh from "../../messages/zh-CN.json";
import { httpStatus, isAppError, type AppError, type ErrorBody, type FieldIssue, type Issue, type IssueParams } from "../errors";
import { log } from "../log";

export type Translate = {
  (key: string, values?: IssueParams): string;
  has: (key: string) => boolean;
};

type Tree = { [k: string]: string | Tree };
const CATALOGUES: Record<"zh-CN" | "en", Tree> = { "zh-CN": zh, en };

/** zh-CN for any Chinese locale, English otherwise (the two catalogues there are). */
function catalogueOf(locale: string): "zh-CN" | "en" {
  return locale.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

function lookup(tree: Tree, path: string): string | undefined {
  let cur: string | Tree | undefined = tree;
  for (const part of path.split(".")) cur = typeof cur === "object" ? cur[part] : undefined;
  return typeof cur === "string" ? cur : undefined;
}

// One translator per (locale, namespace): each keeps its own cache of parsed messages.
const translators = new Map<string, Translate>();

/** A translator over `namespace` of the locale's catalogue, for use inside or outside a request. */
export function translator(locale: string, namespace: string): Translate {
  const lang = catalogueOf(locale);
  const id = `${lang}:${namespace}`;
  let t = translators.get(id);
  if (!t) {
    const messages = CATALOGUES[lang];
    const tr = createTranslator({
      locale: lang,
      messages,
      namespace,
      timeZone: "Asia/Shanghai",
      onError: (error) => log.warn({ err: error.message, locale: lang, namespace }, "message could not be formatted"),
      // A message whose params are missing reads as written rather than as its key.
      getMessageFallback: ({ key }) => lookup(messages, `${namespace}.${key}`) ?? key,
    }) as unknown as { (key: string, values?: IssueParams): string; has: (key: string) => boolean };
    // has() is true for a nested group too; only a message counts.
    const has = (key: string) => key !== "" && lookup(messages, `${namespace}.${key}`) !== undefined;
    t = Object.assign((key: string, values?: IssueParams) => tr(key, values), { has });
    translators.set(id, t);
  }
  return t;
}

/** One problem's message in the locale: the catalogue's wording, else the library's own, else its code. */
export function issueMessage(problem: Pick<Issue, "code" | "key" | "params" | "detail">, locale: string): string {
  const t = translator(locale, "issues");
  const key = problem.key ?? problem.code;
  if (t.has(key)) return t(key, problem.params ?? {});
  return problem.detail ?? problem.code;
}

export function renderIssues(issues: readonly Issue[], locale: string): FieldIssue[] {
  return issues.map((i) => ({ field: i.field, code: i.code, message: issueMessage(i, locale) }));
}

/** An expected error's headline (errors.<code>; a conflict names its reason from errors.conflicts.*). */
export function appErrorMessage(e: AppError, locale: string): string {
  const t = translator(locale, "errors");
  const values: IssueParams = { ...e.params };
  if (e.code === "conflict") {
    const key = `conflicts.${String(e.params.reason)}`;
    values.reason = t.has(key) ? t(key) : String(e.params.reason);
  }
  return t(e.code, values);
}

/**
 * The answer to any error, for route handlers, API writes (also stored for idempotent replay) and server actions:
 * an expected error with its status and words; anything else logged with a reference the user can quote, and 500.
 */
/** `where` names the entry point in the log line of an unexpected error ("unhandled error in route"). */
export function errorBody(e: unknown, locale: string, status?: number, where = "request"): { status: number; body: { error: ErrorBody } } {
  if (isAppError(e)) {
    const error: ErrorBody = { code: e.code, message: appErrorMessage(e, locale), ...(e.issues.length ? { issues: renderIssues(e.issues, locale) } : {}) };
    return { status: status ?? httpStatus[e.code], body: { error } };
  }
  const ref = randomUUID().slice(0, 8);
  log.error({ err: e, ref }, `unhandled error in ${where}`);
  return { status: 500, body: { error: { code: "internal", message: translator(locale, "errors")("internal", { ref }), ref } } };
}
