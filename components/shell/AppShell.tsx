"use client";
import {
  AimOutlined,
  AlertOutlined,
  TrophyOutlined,
  SettingOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BookOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  FundOutlined,
  LineChartOutlined,
  DatabaseOutlined,
  DisconnectOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FieldTimeOutlined,
  SlidersOutlined,
  LogoutOutlined,
  ProjectOutlined,
  ScheduleOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { Button, Layout, Menu, Space, Tag } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { signOutAction } from "@/components/auth/actions";
import type { Role } from "@/lib/auth/roles";
import { LocaleSwitch } from "./LocaleSwitch";
import { Logo } from "./Logo";
import { NotificationBell } from "@/components/notifications/NotificationBell";

type Item = { key: string; href: string; icon: ReactNode; label: string };

function menuFor(role: Role, t: ReturnType<typeof useTranslations>): Item[] {
  const customers = { key: "/customers", href: "/customers", icon: <TeamOutlined />, label: t("nav.customers") };
  const warnings = { key: "/warnings", href: "/warnings", icon: <AlertOutlined />, label: t("nav.warnings") };
  const churn = { key: "/churn", href: "/churn", icon: <DisconnectOutlined />, label: t("nav.churn") };
  const applications = { key: "/applications", href: "/applications", icon: <FileTextOutlined />, label: t("nav.applications") };
  const cob = { key: "/admin/cob", href: "/admin/cob", icon: <ScheduleOutlined />, label: t("nav.cob") };
  const rules = { key: "/admin/rules", href: "/admin/rules", icon: <AuditOutlined />, label: t("nav.rules") };
  const reports = { key: "/reports", href: "/reports", icon: <FileDoneOutlined />, label: t("nav.reports") };
  const model = { key: "/admin/model", href: "/admin/model", icon: <LineChartOutlined />, label: t("nav.model") };
  const taskBoard = { key: "/supervisor/tasks", href: "/supervisor/tasks", icon: <ProjectOutlined />, label: t("nav.taskBoard") };
  const incentives = { key: "/incentives", href: "/incentives", icon: <TrophyOutlined />, label: t("nav.incentives") };
  const scheme = { key: "/incentives/scheme", href: "/incentives/scheme", icon: <SettingOutlined />, label: t("nav.incentiveScheme") };
  const insights = { key: "/insights", href: "/insights", icon: <AimOutlined />, label: t("nav.insights") };
  switch (role) {
    case "rm":
      return [{ key: "/rm", href: "/rm", icon: <DashboardOutlined />, label: t("nav.rmHome") }, { key: "/rm/score", href: "/rm/score", icon: <TrophyOutlined />, label: t("nav.myScore") }, customers, warnings, churn, applications];
    case "supervisor":
      return [{ key: "/supervisor", href: "/supervisor", icon: <DashboardOutlined />, label: t("nav.supervisorHome") }, taskBoard, incentives, customers, warnings, churn, applications, insights, reports, rules, model, cob];
    case "hr":
      return [
        { key: "/hr", href: "/hr", icon: <TrophyOutlined />, label: t("nav.hrHome") },
        scheme,
        { key: "/hr/staff", href: "/hr/staff", icon: <UserOutlined />, label: t("nav.staff") },
        customers,
        warnings,
        churn,
        applications,
      ];
    case "admin":
      return [
        { key: "/admin", href: "/admin", icon: <DashboardOutlined />, label: t("nav.adminHome") },
        { key: "/admin/users", href: "/admin/users", icon: <UserOutlined />, label: t("nav.users") },
        { key: "/admin/branches", href: "/admin/branches", icon: <ApartmentOutlined />, label: t("nav.branches") },
        { key: "/supervisor", href: "/supervisor", icon: <FundOutlined />, label: t("nav.dashboard") },
        taskBoard,
        customers,
        warnings,
        churn,
        applications,
        insights,
        reports,
        incentives,
        scheme,
        rules,
        model,
        { key: "/admin/signals", href: "/admin/signals", icon: <TagsOutlined />, label: t("nav.signals") },
        { key: "/admin/reference", href: "/admin/reference", icon: <BookOutlined />, label: t("nav.reference") },
        cob,
        { key: "/admin/tasks-settings", href: "/admin/tasks-settings", icon: <FieldTimeOutlined />, label: t("nav.taskSettings") },
        { key: "/admin/churn-settings", href: "/admin/churn-settings", icon: <SlidersOutlined />, label: t("nav.churnSettings") },
        { key: "/admin/imports", href: "/admin/imports", icon: <CloudUploadOutlined />, label: t("nav.imports") },
        { key: "/admin/queues", href: "/admin/queues", icon: <DatabaseOutlined />, label: t("nav.queues") },
      ];
    case "integration":
      // A service account has no screen session; no menu.
      return [];
  }
}

export function AppShell({ user, children }: { user: { displayName: string; username: string; role: Role }; children: ReactNode }) {
  const t = useTranslations("shell");
  const pathname = usePathname();
  const items = menuFor(user.role, t);
  // The longest menu path that prefixes the current path is the selected entry.
  const selected = items
    .filter((i) => pathname === i.key || pathname.startsWith(`${i.key}/`))
    .sort((a, b) => b.key.length - a.key.length)[0]?.key;
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider width={208} theme="light" breakpoint="lg" collapsedWidth={0} style={{ borderRight: "1px solid #eef0f3" }}>
        <Link href="/" style={{ display: "block", padding: "12px 20px 8px" }}>
          <Logo height={40} alt={t("brand")} />
        </Link>
        <Menu
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items.map((i) =>
            i.key === "/admin/queues"
              ? { key: i.key, icon: i.icon, label: <a href={i.href}>{i.label}</a> }
              : { key: i.key, icon: i.icon, label: <Link href={i.href}>{i.label}</Link> },
          )}
          aria-label={t("menu")}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: "#fff", padding: "0 24px", display: "flex", justifyContent: "flex-end", alignItems: "center", borderBottom: "1px solid #eef0f3" }}
        >
          <Space size="middle">
            <NotificationBell />
            <LocaleSwitch />
            <Link href="/account" aria-label={t("account")} data-testid="current-user" style={{ color: "inherit" }}>
              {user.displayName} <Tag color="blue">{t(`roles.${user.role}`)}</Tag>
            </Link>
            <form action={signOutAction}>
              <Button htmlType="submit" icon={<LogoutOutlined />}>
                {t("signOut")}
              </Button>
            </form>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
