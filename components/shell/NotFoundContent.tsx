// The 404 body, shared by the signed-in shell and the bare root page. Server component.
import { Button, Result } from "antd";
import { getTranslations } from "next-intl/server";

export async function NotFoundContent() {
  const t = await getTranslations("notFound");
  return (
    <Result
      status="404"
      title={<h1 style={{ fontSize: 24, margin: 0, fontWeight: 600 }}>{t("title")}</h1>}
      subTitle={t("body")}
      extra={
        <Button type="primary" href="/">
          {t("home")}
        </Button>
      }
    />
  );
}
