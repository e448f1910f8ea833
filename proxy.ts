// Refreshes the session cookie on each page request (idle expiry) and sends signed-out visitors to /login.
export { auth as proxy } from "@/lib/auth/nextauth";

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|fonts/).*)",
      // Server actions guard themselves; refreshing the cookie there would undo sign-out's deletion of it.
      missing: [{ type: "header", key: "next-action" }],
    },
  ],
};
