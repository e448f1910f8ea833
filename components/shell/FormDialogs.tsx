"use client";
// The admin screens' form containers: a drawer (create forms) and a modal (edit forms), each with its submit and
// cancel buttons and, above the form, the server's error that belongs to no field.
import { Alert, Button, Drawer, Modal, Space } from "antd";
import type { ModalProps } from "antd";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useHydrated } from "./useHydrated";

type Common = {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  /** Submits the form inside (usually `form.submit()`). */
  onSubmit: () => void;
  submitText: string;
  busy: boolean;
  /** The error no field shows; nothing when there is none. */
  error?: string;
  children: ReactNode;
};

function FormError({ error }: { error?: string }) {
  return error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null;
}

export function FormDrawer({ title, open, onClose, onSubmit, submitText, busy, error, children, size }: Common & { size: number }) {
  const tc = useTranslations("common");
  return (
    <Drawer
      title={title}
      open={open}
      onClose={onClose}
      size={size}
      footer={
        <Space style={{ width: "100%", justifyContent: "flex-end" }}>
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="primary" loading={busy} onClick={onSubmit}>
            {submitText}
          </Button>
        </Space>
      }
    >
      <FormError error={error} />
      {children}
    </Drawer>
  );
}

export function FormModal({
  title,
  open,
  onClose,
  onSubmit,
  submitText,
  busy,
  error,
  children,
  forceRender,
  ...rest
}: Common & Pick<ModalProps, "forceRender" | "destroyOnHidden" | "width" | "okButtonProps">) {
  const tc = useTranslations("common");
  // forceRender keeps the (closed) form mounted so the screen can fill it before opening; the server renders no
  // portal, so it starts only after hydration (otherwise the first client render would not match the HTML).
  const hydrated = useHydrated();
  return (
    <Modal
      title={title}
      open={open}
      onCancel={onClose}
      onOk={onSubmit}
      okText={submitText}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      forceRender={forceRender && hydrated}
      {...rest}
    >
      <FormError error={error} />
      {children}
    </Modal>
  );
}
