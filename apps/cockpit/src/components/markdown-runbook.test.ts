import { describe, expect, it } from "vitest";
import { runbookFromMarkdown } from "./markdown-runbook.js";

describe("runbookFromMarkdown", () => {
  it("takes the title from the first heading and the id from the file name", () => {
    const text = "intro\n# Disk full on db hosts #\n## Steps\nrm old wal";
    expect(runbookFromMarkdown("db-disk-full.md", text)).toEqual({
      id: "db-disk-full",
      title: "Disk full on db hosts",
      body: text,
    });
  });

  it("falls back to the file name when there is no heading", () => {
    expect(runbookFromMarkdown("Restart.MARKDOWN", "just steps")).toEqual({
      id: "Restart",
      title: "Restart",
      body: "just steps",
    });
  });
});
