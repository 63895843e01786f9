import type { RunbookLibrary } from "../../knowledge/runbooks/runbook-library.js";
import type { RunbookFinder } from "./investigator.js";

/** The runbook library as the investigation tools' runbook search. */
export function runbookFinderOf(library: RunbookLibrary): RunbookFinder {
  return {
    search: async (projectId, query, limit) =>
      (await library.search(projectId, { query, topK: limit })).hits.map((h) => ({
        id: h.runbook.id,
        title: h.runbook.title,
        excerpt: h.excerpt,
        score: h.score,
      })),
  };
}
