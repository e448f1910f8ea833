"use client";
// The one way a screen writes: a server action (which returns an ActionResult rather than throwing) behind a
// TanStack Query mutation. A failed result becomes an ActionError carrying the message in the user's language and
// the field issues, so every screen shows errors the same way; applyIssues puts the issues on form fields.
import { useMutation, type UseMutationOptions, type UseMutationResult } from "@tanstack/react-query";
import { App, type FormInstance } from "antd";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { ErrorBody, FieldIssue } from "@/lib/errors";
import type { ActionResult, Keyed } from "@/lib/http/action";

export type { FieldIssue };

export class ActionError extends Error {
  readonly code: string;
  readonly issues: FieldIssue[];
  constructor(e: ErrorBody) {
    super(e.message);
    this.code = e.code;
    this.issues = e.issues ?? [];
  }
}

type Options<I, T> = Omit<UseMutationOptions<T, Error, I>, "mutationFn">;

/** A mutation around a server action; errors are ActionError (or the network's own Error). */
export function useAction<I, T>(run: (input: I) => Promise<ActionResult<T>>, options?: Options<I, T>): UseMutationResult<T, Error, I> {
  return useMutation<T, Error, I>({
    ...options,
    mutationFn: async (input) => {
      const r = await run(input);
      if (!r.ok) throw new ActionError(r.error);
      return r.data;
    },
  });
}

/** A fresh key; randomUUID needs a secure context, getRandomValues does not. */
function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * useAction for a keyed action: every call made while one is pending (a double click, a second Enter) carries the
 * same key, so the server records the write once; once it settles the next submission gets a new key.
 */
export function useKeyedAction<I, T>(run: (req: Keyed<I>) => Promise<ActionResult<T>>, options?: Options<I, T>): UseMutationResult<T, Error, I> {
  const key = useRef<string | null>(null);
  return useAction<I, T>((input) => run({ key: (key.current ??= newKey()), input }), {
    ...options,
    onSettled: (...args) => {
      key.current = null;
      return options?.onSettled?.(...args);
    },
  });
}

/** The field issues of an action's error (none for other errors). */
export function issuesOf(e: unknown): FieldIssue[] {
  return e instanceof ActionError ? e.issues : [];
}

/**
 * Puts each issue on its form field (`fieldOf` names the field, or null when the form has none for it), worded by
 * `text`; returns the issues no field shows (as the server worded them), for an alert above the form.
 */
export function applyIssues(
  form: FormInstance,
  issues: readonly FieldIssue[],
  fieldOf: (field: string) => (string | number)[] | null,
  text: (i: FieldIssue) => string = (i) => i.message,
): FieldIssue[] {
  const rest: FieldIssue[] = [];
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const i of issues) {
    const name = fieldOf(i.field);
    if (!name) {
      rest.push(i);
      continue;
    }
    const k = name.join(".");
    byField.set(k, { name, errors: [...(byField.get(k)?.errors ?? []), text(i)] });
  }
  form.setFields([...byField.values()]);
  return rest;
}

/** fieldOf for forms whose field names are the issues' own (`fields` lists them). */
export function sameNames(fields: readonly string[]): (field: string) => string[] | null {
  return (f) => (fields.includes(f) ? [f] : null);
}

/**
 * A settings form saved through a server action: on success a message and a refresh of the server-rendered page;
 * on failure each field issue on its field (`fieldOf`, worded by `text`) and anything else in `formError`, for an
 * alert above the form. `submit` clears the alert and saves.
 */
export function useSettingsForm<V, I, T>(
  form: FormInstance<V>,
  run: (input: I) => Promise<ActionResult<T>>,
  opts: { saved: string; fieldOf: (field: string) => (string | number)[] | null; text: (i: FieldIssue) => string; toInput: (v: V) => I },
) {
  const { message } = App.useApp();
  const router = useRouter();
  const [formError, setFormError] = useState<string>();
  const save = useAction(run, {
    onSuccess: () => {
      void message.success(opts.saved);
      router.refresh();
    },
    onError: (e) => {
      const issues = issuesOf(e);
      const rest = applyIssues(form, issues, opts.fieldOf, opts.text);
      if (!issues.length || rest.length) setFormError(e.message);
    },
  });
  const submit = (v: V) => {
    setFormError(undefined);
    save.mutate(opts.toInput(v));
  };
  return { save, submit, formError };
}
