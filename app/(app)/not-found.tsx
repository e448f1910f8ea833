import { NotFoundContent } from "@/components/shell/NotFoundContent";

// Inside the signed-in shell: a missing or out-of-scope record keeps the menu, so the user can go on from here.
export default function NotFound() {
  return <NotFoundContent />;
}
