// How an import's status reads on the page: steps, progress percentage, polling, sizes; and that the browser's
// copy of the encodings list matches the reader's.
import { describe, expect, it } from "vitest";
import { attachment, templateFileName } from "./download";
import { ENCODINGS } from "./read";
import { formatBytes, IMPORT_STATUSES, isFinished, pollInterval, progressPercent, stepState, UPLOAD_ENCODINGS, type ImportStatus } from "./view";

const at = (status: ImportStatus, rowsParsed = 0, rowsValidated = 0, rowsWritten = 0) => ({ status, rowsParsed, rowsValidated, rowsWritten });

describe("import status on the page", () => {
  it("offers exactly the encodings the reader accepts", () => {
    expect([...UPLOAD_ENCODINGS]).toEqual([...ENCODINGS]);
  });

  it("places each status on the steps parsing → validating → writing → done", () => {
    expect(stepState(at("queued"))).toEqual({ current: 0, status: "wait" });
    expect(stepState(at("parsing", 10))).toEqual({ current: 0, status: "process" });
    expect(stepState(at("validating", 10))).toEqual({ current: 1, status: "process" });
    expect(stepState(at("writing", 10, 10))).toEqual({ current: 2, status: "process" });
    expect(stepState(at("succeeded", 10, 10, 10))).toEqual({ current: 3, status: "finish" });
    // An unreadable file stops at reading; a file with bad rows at checking.
    expect(stepState(at("rejected", 0))).toEqual({ current: 0, status: "error" });
    expect(stepState(at("rejected", 5, 5))).toEqual({ current: 1, status: "error" });
    expect(stepState(at("failed", 5, 5))).toEqual({ current: 2, status: "error" });
  });

  it("moves the bar forward through the phases and smoothly while writing", () => {
    const seq = [at("queued"), at("parsing", 5), at("validating", 10), at("writing", 10, 10, 0), at("writing", 10, 10, 5), at("writing", 10, 10, 10), at("succeeded", 10, 10, 10)];
    const pcts = seq.map(progressPercent);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    expect(pcts[0]).toBe(0);
    expect(pcts.at(-1)).toBe(100);
    expect(progressPercent(at("writing", 10, 10, 10))).toBeLessThan(100);
    expect(progressPercent(at("writing", 10, 0, 0))).toBe(70);
  });

  it("polls every second while running, slower after a failure, never once finished", () => {
    for (const s of IMPORT_STATUSES) {
      const p = pollInterval(s);
      if (isFinished(s)) expect(p).toBe(false);
      else expect(p).toBe(s === "failed" ? 5_000 : 1_000);
    }
    expect(pollInterval(undefined)).toBe(1_000);
  });

  it("writes sizes as B, KB and MB", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MB");
    expect(formatBytes(2048)).toBe("2 KB");
  });
});

describe("download headers", () => {
  it("names the file in Chinese with an ASCII fallback", () => {
    expect(templateFileName("repayments", "zh-CN")).toBe("还款流水导入模板.xlsx");
    expect(templateFileName("repayments", "en")).toBe("churnwatch-repayments-template.xlsx");
    expect(attachment("还款流水导入模板.xlsx", "churnwatch-repayments-template.xlsx")).toBe(
      `attachment; filename="churnwatch-repayments-template.xlsx"; filename*=UTF-8''%E8%BF%98%E6%AC%BE%E6%B5%81%E6%B0%B4%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx`,
    );
    expect(attachment("a'b (1).csv", 'we"ird\u00e9.csv')).toBe(`attachment; filename="we_ird_.csv"; filename*=UTF-8''a%27b%20%281%29.csv`);
  });
});
