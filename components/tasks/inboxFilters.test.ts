import { describe, expect, it } from "vitest";
import { queryString } from "@/components/shell/api";
import { apiParams, readFilters, sortOrderOf, toQuery } from "./inboxFilters";

describe("inbox filters in the address bar", () => {
  it("leaves the defaults out, so a plain inbox has a plain URL", () => {
    expect(toQuery(readFilters(new URLSearchParams()))).toBe("");
  });

  it("reads back what it wrote", () => {
    const qs = "status=open&priority=high&reasonFamily=credit_risk&overdue=true&q=%E5%85%AC%E5%8F%B8&sort=due&order=asc&page=3&pageSize=50";
    expect(toQuery(readFilters(new URLSearchParams(qs)))).toBe(qs);
  });

  it("drops values it does not know instead of passing them on", () => {
    const f = readFilters(new URLSearchParams("status=nope&priority=urgent&page=-2&pageSize=7&sort=name"));
    expect(f).toMatchObject({ status: "active", priority: undefined, page: 1, pageSize: 20, sort: "urgency" });
  });

  it("asks the API for every filter, defaults included, and nothing unset", () => {
    const f = readFilters(new URLSearchParams("escalated=true"));
    expect(queryString(apiParams(f))).toBe("status=active&sort=urgency&page=1&pageSize=20&escalated=true");
  });

  it("shows the sort on its column, with the API's default direction", () => {
    expect(sortOrderOf(readFilters(new URLSearchParams("sort=due")), "sla")).toBe("ascend");
    expect(sortOrderOf(readFilters(new URLSearchParams("sort=priority")), "priority")).toBe("descend");
    expect(sortOrderOf(readFilters(new URLSearchParams("sort=priority")), "sla")).toBeNull();
  });
});
