"use client";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Divider, Form, Input, Space, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { LocaleSwitch } from "@/components/shell/LocaleSwitch";
import { Logo } from "@/components/shell/Logo";
import { signInWithPassword, signInWithSso, type SignInState } from "./actions";

export function LoginForm({ callbackUrl, sso, heading }: { callbackUrl?: string; sso: { name: string } | null; heading: string }) {
  const t = useTranslations("login");
  const brand = useTranslations("shell")("brand");
  const [state, setState] = useState<SignInState>({});
  const [pending, start] = useTransition();
  return (
    <Card style={{ width: 400, maxWidth: "100%" }}>
      <div style={{ marginBottom: 16 }}>
        <Logo height={48} alt={brand} />
      </div>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {heading}
        </Typography.Title>
        <LocaleSwitch />
      </Space>
      <Typography.Paragraph type="secondary">{t("subtitle")}</Typography.Paragraph>
      {state.error && (
        <Alert data-testid="login-error" type="error" showIcon style={{ marginBottom: 16 }} title={t(`errors.${state.error}`)} />
      )}
      <Form
        layout="vertical"
        requiredMark={false}
        onFinish={(values: { username: string; password: string }) =>
          start(async () => {
            setState(await signInWithPassword({ ...values, callbackUrl }));
          })
        }
      >
        <Form.Item label={t("username")} name="username" rules={[{ required: true, message: t("usernameRequired") }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t("password")} name="password" rules={[{ required: true, message: t("passwordRequired") }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={pending}>
          {t("submit")}
        </Button>
      </Form>
      {sso && (
        <>
          <Divider plain>{t("or")}</Divider>
          <Button block onClick={() => start(() => signInWithSso(callbackUrl))}>
            {t("sso", { name: sso.name })}
          </Button>
        </>
      )}
    </Card>
  );
}
