import type { KnowledgeBaseSettings } from "@aegis/contracts";

export interface KnowledgeBaseFacts {
  /** The embeddings API in use, or undefined when vectors are off. */
  embeddingsUrl: string | undefined;
  embeddingsModel: string;
  minSimilarity: number;
  similarPerAnalysis: number;
  runbooksPerAnalysis: number;
  countRunbooks(projectId: string): Promise<number>;
  countLearned(projectId: string): Promise<number>;
}

/** `GET /api/v1/settings/knowledge-base`: the retrieval configuration the server runs with, and the project's counts. */
export async function knowledgeBaseSettings(f: KnowledgeBaseFacts, projectId: string): Promise<KnowledgeBaseSettings> {
  const url = f.embeddingsUrl ? withoutCredentials(f.embeddingsUrl) : null;
  const [runbooks, learned] = await Promise.all([f.countRunbooks(projectId), f.countLearned(projectId)]);
  return {
    lexical: { enabled: true, algorithm: "BM25F over runbooks; BM25-class lexical similarity over learned incidents" },
    vectors: {
      enabled: url !== null,
      status: url
        ? "on: runbooks and incidents are embedded and fused with lexical retrieval"
        : "off: AEGIS_EMBEDDINGS_URL is not set, retrieval is lexical only",
      embeddings_url: url,
      embeddings_model: url ? f.embeddingsModel : null,
      min_similarity: f.minSimilarity,
    },
    similar_incidents_per_analysis: f.similarPerAnalysis,
    runbooks_per_analysis: f.runbooksPerAnalysis,
    counts: { runbooks, learned_incidents: learned },
    learning: "every remediation that ends RESOLVED or FAILED is learned as a knowledge entry",
  };
}

/** A URL fit to show: any user name or password in it removed. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}
