import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { safeErrorMessage, scrubErrorMessage, serializeError } from "./log";

// What postgres-js rejects with: the PostgreSQL fields enumerable, the query's values attached beside them.
function pgError(message: string, fields: Record<string, unknown>) {
  return Object.assign(new Error(message), { name: "PostgresError" }, fields);
}

describe("the err serializer", () => {
  it("keeps the statement, SQLSTATE and constraint of a drizzle query error and drops its bound values", () => {
    const cause = pgError('duplicate key value violates unique constraint "customers_phone"', {
      code: "23505",
      constraint_name: "customers_phone",
      table_name: "customers",
      detail: "Key (contact_phone)=(13900001111) already exists.",
      parameters: ["13900001111"],
      args: ["13900001111"],
      query: "insert into customers (contact_phone) values ($1)",
    });
    const e = new DrizzleQueryError("insert into customers (name, contact_phone) values ($1, $2)", ["王小明", "13900001111"], cause);
    const out = serializeError(e);
    const text = JSON.stringify(out);
    expect(text).not.toContain("王小明");
    expect(text).not.toContain("13900001111");
    expect(out).toMatchObject({
      type: "DrizzleQueryError",
      message: "Failed query: insert into customers (name, contact_phone) values ($1, $2) [params redacted]",
      cause: { code: "23505", constraint_name: "customers_phone", table_name: "customers" },
    });
    expect((out as { stack: string }).stack).toMatch(/^Error: Failed query: .* \[params redacted\]\n\s+at /);
  });

  it("drops literals written into SQL text and the quoted input of a data exception", () => {
    expect(scrubErrorMessage("Failed query: select 1 where name = 'O''Brien 张'\nparams: ")).toBe("Failed query: select 1 where name = '…' [params redacted]");
    const e = pgError('invalid input syntax for type integer: "13900001111"', { code: "22P02" });
    expect(serializeError(e)).toMatchObject({ message: 'invalid input syntax for type integer: "…"', code: "22P02" });
    // Outside data exceptions a quoted name is a relation or constraint, worth keeping.
    expect(safeErrorMessage(pgError('relation "nope" does not exist', { code: "42P01" }))).toBe('relation "nope" does not exist');
  });

  it("handles an error's message logged as a string, causes in depth, aggregates and non-errors", () => {
    expect(serializeError("Failed query: update t set a = $1\nparams: 王小明")).toBe("Failed query: update t set a = $1 [params redacted]");
    const deep = new Error("outer", { cause: new Error("middle", { cause: new DrizzleQueryError("select $1", ["王小明"]) }) });
    expect(JSON.stringify(serializeError(deep))).not.toContain("王小明");
    const agg = serializeError(new AggregateError([new DrizzleQueryError("select $1", ["王小明"])], "several"));
    expect(JSON.stringify(agg)).not.toContain("王小明");
    expect(serializeError({ phone: "13900001111" })).toBe("non-error thrown: object");
  });
});
