import { guardPage } from "@/lib/auth/guard";
import { ImportsAdmin } from "@/components/imports/ImportsAdmin";

export default async function AdminImportsPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  await guardPage(["admin"], "/admin/imports");
  const { id } = await searchParams;
  // ?id= keeps the import being watched across a reload.
  const watched = id && /^\d{1,9}$/.test(id) ? Number(id) : null;
  return <ImportsAdmin initialId={watched} />;
}
