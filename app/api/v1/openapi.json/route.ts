import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";

// Public on purpose: the document describes the API, it reveals no data.
export function GET() {
  return NextResponse.json(openApiDocument());
}
