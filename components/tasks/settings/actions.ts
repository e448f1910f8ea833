"use server";
// Task settings: the SLA policy, the severity that opens a task, and the business calendar. action() guards (admin only) and validates;
// lib/tasks/settings validates again and audits; each write is one transaction.
import { z } from "zod";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import type { SlaPolicy } from "@/lib/tasks/calendar";
import {
  calendarDaySchema,
  deleteCalendarDay,
  openThresholdSchema,
  saveOpenThreshold,
  saveSla,
  slaPolicySchema,
  upsertCalendarDay,
  type CalendarDay,
  type OpenThreshold,
} from "@/lib/tasks/settings";

const sla = action(["admin"], slaPolicySchema, (input, { actor }) => db().transaction((tx) => saveSla(tx, { kind: "user", userId: actor.userId }, input)));
const threshold = action(["admin"], openThresholdSchema, (input, { actor }) =>
  db().transaction((tx) => saveOpenThreshold(tx, { kind: "user", userId: actor.userId }, input)),
);
const upsertDay = action(["admin"], calendarDaySchema, (input, { actor }) =>
  db().transaction((tx) => upsertCalendarDay(tx, { kind: "user", userId: actor.userId }, input)),
);
const deleteDay = action(["admin"], z.object({ day: z.string() }), (input, { actor }) =>
  db().transaction((tx) => deleteCalendarDay(tx, { kind: "user", userId: actor.userId }, input.day)),
);

export async function saveSlaAction(input: SlaPolicy): Promise<ActionResult<SlaPolicy>> {
  return sla(input);
}

export async function saveOpenThresholdAction(input: OpenThreshold): Promise<ActionResult<OpenThreshold>> {
  return threshold(input);
}

export async function saveCalendarDayAction(input: CalendarDay): Promise<ActionResult<CalendarDay>> {
  return upsertDay(input);
}

export async function deleteCalendarDayAction(day: string): Promise<ActionResult<boolean>> {
  return deleteDay({ day });
}
