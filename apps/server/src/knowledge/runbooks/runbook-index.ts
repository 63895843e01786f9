import type { RunbookRow } from "../../store/runbook-store.js";
import { Bm25Index, type OpsVocabulary } from "../lexical/index.js";
import { runbookVocabulary } from "./component-vocabulary.js";

/**
 * The lexical index of one project's runbooks. The title names the alert or problem and weighs
 * most; service and tags are short labels (no length normalisation); the markdown body carries the
 * explanation, diagnosis and commands.
 */
export function newRunbookIndex(vocabulary: OpsVocabulary | null = runbookVocabulary): Bm25Index<RunbookRow> {
  return new Bm25Index<RunbookRow>({
    vocabulary,
    fields: [
      { name: "title", weight: 3, value: (r) => r.title },
      { name: "service", weight: 1, b: 0, value: (r) => r.service },
      { name: "tags", weight: 1.5, b: 0, value: (r) => r.tags },
      { name: "body", weight: 1, value: (r) => r.body },
    ],
  });
}

/** Characters of the body that go into a runbook's embedding (models take a few thousand tokens). */
const EMBED_BODY_CHARS = 6000;

/** The text embedded for a runbook: its labels first, then the start of its body. */
export function embeddingText(r: Pick<RunbookRow, "title" | "service" | "tags" | "body">): string {
  const labels = [r.service, ...r.tags].join(", ");
  return `${r.title}\n${labels}\n\n${r.body.slice(0, EMBED_BODY_CHARS)}`;
}
