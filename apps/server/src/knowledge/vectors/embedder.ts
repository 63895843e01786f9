/** Port: turns texts into embedding vectors (one per text, same order). */
export interface Embedder {
  /** Model name; vectors of different models are never compared. */
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
