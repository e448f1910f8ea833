"use client";
import { Segmented } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setLocale } from "@/i18n/actions";
import type { Locale } from "@/i18n/locales";

export function LocaleSwitch() {
  const locale = useLocale() as Locale;
  const t = useTranslations("shell");
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Segmented<Locale>
      aria-label={t("language")}
      size="small"
      disabled={pending}
      value={locale}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "English", value: "en" },
      ]}
      onChange={(v) =>
        start(async () => {
          await setLocale(v);
          router.refresh();
        })
      }
    />
  );
}
