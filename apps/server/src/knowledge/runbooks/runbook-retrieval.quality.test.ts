import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RunbookRow } from "../../store/runbook-store.js";
import { newRunbookIndex } from "./runbook-index.js";

/**
 * Retrieval quality on the shared runbook data (prometheus-operator runbooks, real alert texts, alerts
 * with no runbook) and on our reworded sets. Floors sit a little under the measured figures (see
 * docs/adr/0005-knowledge-retrieval.md) so a regression fails here before it reaches a user.
 */
const DATA = fileURLToPath(new URL("../../../../../../shared/data/runbooks/", import.meta.url));
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

interface Query {
  query?: string;
  alert?: string;
  summary?: string;
  description?: string;
  expected: string | null;
}
const text = (q: Query) => q.query ?? [q.alert, q.summary, q.description].filter(Boolean).join("\n");

describe.skipIf(!existsSync(DATA))("runbook retrieval quality", () => {
  const index = newRunbookIndex();
  const now = new Date();
  for (const d of jsonl<{ id: string; title: string; service: string; body: string }>(`${DATA}corpus.jsonl`)) {
    const row: RunbookRow = { projectId: "p", ...d, url: null, tags: [], createdAt: now, updatedAt: now };
    index.add(d.id, row);
  }
  const recall = (queries: Query[]) => {
    let r1 = 0;
    let r5 = 0;
    for (const q of queries) {
      const pos = index
        .search(text(q), { limit: 5 })
        .map((h) => h.id)
        .indexOf(q.expected as string);
      if (pos === 0) r1++;
      if (pos >= 0) r5++;
    }
    return { r1: r1 / queries.length, r5: r5 / queries.length };
  };

  it.each([
    ["alerts.dev.jsonl", DATA, 0.95, 0.98],
    ["alerts.test-exact.jsonl", DATA, 0.93, 0.98],
  ])("finds the runbook of exact alert texts (%s)", (file, dir, r1, r5) => {
    const got = recall(jsonl<Query>(`${dir}${file}`));
    expect(got.r1).toBeGreaterThanOrEqual(r1);
    expect(got.r5).toBeGreaterThanOrEqual(r5);
  });

  it.each([
    ["reworded.oncall.jsonl", 0.68, 0.93],
    ["reworded.paraphrase.jsonl", 0.4, 0.68],
  ])("finds the runbook of reworded reports (%s)", (file, r1, r5) => {
    const got = recall(jsonl<Query>(`${FIXTURES}${file}`));
    expect(got.r1).toBeGreaterThanOrEqual(r1);
    expect(got.r5).toBeGreaterThanOrEqual(r5);
  });

  it("rarely answers confidently for alerts that have no runbook", () => {
    const queries = jsonl<Query>(`${DATA}alerts.norunbook.jsonl`);
    const confident = queries.filter((q) => index.search(text(q), { limit: 1 })[0]?.confident).length;
    expect(queries.length).toBeGreaterThan(800);
    expect(confident).toBeLessThanOrEqual(12);
  });
});
