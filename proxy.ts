// Refreshes the session cookie on each page request (idle expiry) and sends signed-out visitors to /login.
export { auth as proxy } from "@/lib/auth/nextauth";

export const config = {
  matcher: [
    {
      // public/'s brand files load without a session too: the sign-in page shows the logo and the icons.
      source: "/((?!api/|_next/static|_next/image|fonts/|favicon\\.ico|favicon\\.svg|logo\\.svg|icon-192\\.png|icon-512\\.png|manifest\\.webmanifest).*)",
      // Server actions guard themselves; refreshing the cookie there would undo sign-out's deletion of it.
      missing: [{ type: "header", key: "next-action" }],
    },
  ],
};
