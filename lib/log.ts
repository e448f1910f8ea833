// Structured logs with ids only: never names, phone numbers, ID numbers or amounts tied to a person.
import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { app: "churnwatch", pid: process.pid },
  redact: { paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization"], remove: true },
});
