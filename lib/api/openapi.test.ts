// The API description must be a valid OpenAPI document, checked by a maintained validator (client generators refuse
// an invalid one), so the generated schemas cannot drift into keywords the declared version does not have.
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const doc = openApiDocument();
    expect(doc.openapi).toMatch(/^3\.1\./);
    // validate() resolves $refs in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });
});
