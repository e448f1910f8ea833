import { redirect } from "next/navigation";
import { ANY_ROLE, guardPage } from "@/lib/auth/guard";
import { homePath } from "@/lib/auth/roles";

export default async function Home() {
  const { actor } = await guardPage(ANY_ROLE, "/");
  redirect(homePath(actor.role));
}
