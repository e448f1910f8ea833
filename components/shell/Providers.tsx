"use client";
import { AntdRegistry } from "@ant-design/nextjs-registry";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useState, type ReactNode } from "react";

export function Providers({ locale, children }: { locale: string; children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 15_000, retry: 1 } } }));
  dayjs.locale(locale === "en" ? "en" : "zh-cn");
  return (
    <AntdRegistry>
      <ConfigProvider
        locale={locale === "en" ? enUS : zhCN}
        theme={{ token: { colorPrimary: "#1d4ed8", borderRadius: 4, fontFamily: "var(--cw-font)" } }}
        // antd would render two-character Chinese labels as "取 消", which changes the button's accessible name.
        button={{ autoInsertSpace: false }}
      >
        <AntApp>
          <QueryClientProvider client={client}>{children}</QueryClientProvider>
        </AntApp>
      </ConfigProvider>
    </AntdRegistry>
  );
}
