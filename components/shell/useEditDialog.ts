"use client";
// Add / edit a list's row in a FormModal: which row is open ("new" for an empty form), the save action, and the
// server's issues on the form's fields (the rest above it). `modal` is spread onto the FormModal.
import type { FormInstance } from "antd";
import { useState } from "react";
import type { ActionResult } from "@/lib/http/action";
import { applyIssues, issuesOf, useAction, type FieldIssue } from "./useAction";

type Options<Row, Values> = {
  form: FormInstance<Values>;
  /** Saves the form's values: a new row when `row` is null. */
  save: (values: Values, row: Row | null) => Promise<ActionResult<unknown>>;
  onSaved: (values: Values, isNew: boolean) => void;
  fieldOf: (field: string) => (string | number)[] | null;
  issueText?: (i: FieldIssue) => string;
  /** The alert's text when issues belong to no field; by default their own messages. */
  describeRest?: (rest: FieldIssue[], e: Error) => string;
};

export function useEditDialog<Row, Values>({ form, save, onSaved, fieldOf, issueText, describeRest }: Options<Row, Values>) {
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const [error, setError] = useState<string>();
  const mutation = useAction((v: Values) => save(v, editing === "new" ? null : editing), {
    onSuccess: (_r, v) => {
      onSaved(v, editing === "new");
      setEditing(null);
    },
    onError: (e) => {
      const issues = issuesOf(e);
      const rest = applyIssues(form, issues, fieldOf, issueText);
      if (!issues.length) setError(e.message);
      else if (rest.length) setError(describeRest ? describeRest(rest, e) : rest.map((i) => i.message).join("; "));
    },
  });
  return {
    editing,
    open: (row: Row | "new", values: Partial<Values>) => {
      setError(undefined);
      setEditing(row);
      form.resetFields();
      form.setFieldsValue(values as Parameters<FormInstance<Values>["setFieldsValue"]>[0]);
    },
    submit: (v: Values) => {
      setError(undefined);
      mutation.mutate(v);
    },
    modal: { open: editing !== null, onClose: () => setEditing(null), onSubmit: () => form.submit(), busy: mutation.isPending, error },
  };
}
