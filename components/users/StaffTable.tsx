"use client";
// HR's staff list: relationship managers and supervisors with their customer counts, filtered in the browser.
import type { Person } from "./person";
import { PeopleFilterBar, PeopleTable, usePeopleFilter, usePersonColumns } from "./people";

export type StaffRow = Person;

export function StaffTable({ staff, branches }: { staff: StaffRow[]; branches: { id: number; name: string }[] }) {
  const filter = usePeopleFilter(staff);
  const c = usePersonColumns("hrHome", branches);
  const columns = [
    { ...c.displayName, sorter: (a: Person, b: Person) => a.displayName.localeCompare(b.displayName, "zh-CN") },
    { ...c.username, sorter: (a: Person, b: Person) => a.username.localeCompare(b.username) },
    c.branch,
    c.role,
    c.active,
    { ...c.customers, sorter: (a: Person, b: Person) => a.customerCount - b.customerCount },
    { ...c.lastLogin, sorter: (a: Person, b: Person) => (a.lastLoginAt ?? "").localeCompare(b.lastLoginAt ?? "") },
  ];
  return (
    <>
      <PeopleFilterBar ns="hrHome" filter={filter} roles={["rm", "supervisor"]} branches={branches} widths={{ role: 160, branch: 180 }} withActive />
      <PeopleTable ns="hrHome" filter={filter} all={staff} columns={columns} />
    </>
  );
}
