import type { AnalysisSink } from "../../ports/analyst.js";

/** Splits text into word-sized chunks (each keeps its trailing space) so the UI can show it typing. */
export function chunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export function streamText(sink: AnalysisSink, text: string, signal?: AbortSignal): void {
  for (const piece of chunks(text)) {
    signal?.throwIfAborted();
    sink.token(piece);
  }
}
