"use client";
// Branches: the list (with staff and customer counts) and "new branch" in a drawer.
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { FormDrawer } from "@/components/shell/FormDialogs";
import { PageHeader } from "@/components/shell/PageTitle";
import { ActionError, applyIssues, issuesOf, sameNames, useAction } from "@/components/shell/useAction";
import { formatDate } from "@/lib/format";
import { createBranchAction } from "./actions";

type BranchRow = { id: number; code: string; name: string; nameEn: string; region: string; createdAt: string; staff: number; customers: number };
type Values = { code: string; name: string; nameEn: string; region: string };

const FIELDS = ["code", "name", "nameEn", "region"] as const;

export function BranchesAdmin({ branches }: { branches: BranchRow[] }) {
  const t = useTranslations("adminBranches");
  const terr = useTranslations("errors");
  const { message } = App.useApp();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string>();
  const [form] = Form.useForm<Values>();

  const create = useAction(createBranchAction, {
    onSuccess: (_r, v) => {
      void message.success(t("created", { code: v.code }));
      setOpen(false);
      form.resetFields();
      router.refresh();
    },
    onError: (e) => {
      if (e instanceof ActionError && e.code === "conflict") {
        form.setFields([{ name: "code", errors: [terr("conflicts.branchCodeTaken")] }]);
        return;
      }
      const issues = issuesOf(e);
      const rest = applyIssues(form, issues, sameNames(FIELDS), (i) => t(`validation.${i.field as (typeof FIELDS)[number]}`));
      if (rest.length || !issues.length) setFormError(e.message);
    },
  });
  const submit = (v: Values) => {
    setFormError(undefined);
    create.mutate(v);
  };

  const columns: TableProps<BranchRow>["columns"] = [
    { key: "code", title: t("columns.code"), dataIndex: "code", sorter: (a, b) => a.code.localeCompare(b.code), defaultSortOrder: "ascend" },
    { key: "name", title: t("columns.name"), dataIndex: "name" },
    { key: "nameEn", title: t("columns.nameEn"), dataIndex: "nameEn" },
    { key: "region", title: t("columns.region"), dataIndex: "region" },
    {
      key: "staff",
      title: t("columns.staff"),
      dataIndex: "staff",
      align: "right",
      render: (v: number, r) => (
        <Link href={`/admin/users?branchId=${r.id}`} aria-label={t("viewStaff", { name: r.name })}>
          {v}
        </Link>
      ),
    },
    { key: "customers", title: t("columns.customers"), dataIndex: "customers", align: "right", render: (v: number) => <span className="cw-num">{v}</span> },
    { key: "createdAt", title: t("columns.createdAt"), dataIndex: "createdAt", render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
  ];

  return (
    <>
      <PageHeader
        title={t("title")}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setFormError(undefined);
              setOpen(true);
            }}
          >
            {t("create")}
          </Button>
        }
      />
      <DataTable<BranchRow> size="middle" label={t("tableLabel")} columns={columns} rows={branches} pager={{ size: 20, total: true }} empty={t("empty")} />
      <FormDrawer
        title={t("createTitle")}
        open={open}
        onClose={() => setOpen(false)}
        onSubmit={() => form.submit()}
        submitText={t("createSubmit")}
        busy={create.isPending}
        error={formError}
        size={420}
      >
        <Form<Values> form={form} name="createBranch" layout="vertical" onFinish={submit} aria-label={t("createTitle")}>
          <Form.Item
            name="code"
            label={t("fields.code")}
            extra={t("hints.code")}
            normalize={(v: string) => v.toUpperCase()}
            rules={[
              { required: true, message: t("validation.code") },
              { pattern: /^[A-Z0-9]{2,12}$/, message: t("validation.code") },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="name" label={t("fields.name")} rules={[{ required: true, whitespace: true, max: 60, message: t("validation.name") }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="nameEn" label={t("fields.nameEn")} rules={[{ required: true, whitespace: true, max: 80, message: t("validation.nameEn") }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="region" label={t("fields.region")} rules={[{ required: true, whitespace: true, max: 40, message: t("validation.region") }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Form>
      </FormDrawer>
    </>
  );
}
