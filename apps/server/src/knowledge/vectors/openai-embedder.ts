import { UpstreamError } from "../../shared/errors.js";
import type { Embedder } from "./embedder.js";

export interface OpenAiEmbedderOptions {
  /** Base URL of an OpenAI-compatible API (`…/v1`); `/embeddings` is appended unless already there. */
  url: string;
  model: string;
  apiKey?: string | undefined;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

interface EmbeddingsResponse {
  data?: { embedding?: unknown; index?: number }[];
}

/**
 * Embeddings over the OpenAI wire format (`POST /embeddings {model, input}` → `{data:[{embedding,index}]}`),
 * spoken by OpenAI, Ollama, vLLM, LM Studio, llama.cpp and most gateways. Plain fetch, no SDK.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  private readonly endpoint: string;
  private readonly batchSize: number;
  private readonly timeoutMs: number;

  constructor(private readonly o: OpenAiEmbedderOptions) {
    this.model = o.model;
    const base = o.url.replace(/\/+$/, "");
    this.endpoint = base.endsWith("/embeddings") ? base : `${base}/embeddings`;
    this.batchSize = o.batchSize ?? 64;
    this.timeoutMs = o.timeoutMs ?? 30_000;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      out.push(...(await this.batch(texts.slice(i, i + this.batchSize), signal)));
    }
    return out;
  }

  private async batch(input: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.model, input, encoding_format: "float" }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      const why = timeout.aborted ? `timed out after ${this.timeoutMs} ms` : (err as Error).message;
      throw new UpstreamError(`embedding provider unreachable: ${why}`, "embeddings_unreachable");
    }
    const text = await res.text();
    if (!res.ok) {
      throw new UpstreamError(
        `embedding provider answered ${res.status}: ${text.replace(/\s+/g, " ").slice(0, 300)}`,
        "embeddings_failed",
      );
    }
    let body: EmbeddingsResponse;
    try {
      body = JSON.parse(text) as EmbeddingsResponse;
    } catch {
      throw new UpstreamError("embedding provider sent a non-JSON answer", "embeddings_invalid");
    }
    const data = body.data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new UpstreamError(
        `embedding provider returned ${Array.isArray(data) ? data.length : "no"} vectors for ${input.length} inputs`,
        "embeddings_invalid",
      );
    }
    const out: Float32Array[] = new Array(input.length);
    data.forEach((d, pos) => {
      const at = typeof d.index === "number" ? d.index : pos;
      const e = d.embedding;
      if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === "number" && Number.isFinite(x))) {
        throw new UpstreamError("embedding provider returned a malformed vector", "embeddings_invalid");
      }
      out[at] = Float32Array.from(e as number[]);
    });
    if (out.some((v) => v === undefined)) {
      throw new UpstreamError("embedding provider returned duplicate indexes", "embeddings_invalid");
    }
    return out;
  }
}
