import type { LlmUsage } from "./llm-provider.js";

/** USD per million tokens: [prompt, completion]. Longest matching prefix wins; unknown models cost 0. */
const DEFAULT_PRICES: Record<string, [number, number]> = {
  "gpt-4o-mini": [0.15, 0.6],
  "gpt-4o": [2.5, 10],
  "gpt-4.1-nano": [0.1, 0.4],
  "gpt-4.1-mini": [0.4, 1.6],
  "gpt-4.1": [2, 8],
  "gpt-4-turbo": [10, 30],
  "gpt-3.5-turbo": [0.5, 1.5],
  "gpt-5-nano": [0.05, 0.4],
  "gpt-5-mini": [0.25, 2],
  "gpt-5": [1.25, 10],
  "o3-mini": [1.1, 4.4],
  "o4-mini": [1.1, 4.4],
  o3: [2, 8],
  "claude-3-haiku": [0.25, 1.25],
  "claude-3-5-haiku": [0.8, 4],
  "claude-haiku-4": [1, 5],
  "claude-3-5-sonnet": [3, 15],
  "claude-3-7-sonnet": [3, 15],
  "claude-sonnet-4": [3, 15],
  "claude-opus-4-5": [5, 25],
  "claude-opus-4": [15, 75],
  "deepseek-chat": [0.27, 1.1],
  "mistral-small": [0.1, 0.3],
  "llama-3.1-8b": [0.05, 0.08],
};

/** Model prices (defaults for common models, overridable by AEGIS_LLM_PRICES) and the cost of a call. */
export class PriceTable {
  private readonly prices: Record<string, [number, number]>;

  constructor(overrides: Record<string, [number, number]> = {}) {
    this.prices = { ...DEFAULT_PRICES, ...overrides };
  }

  /** Price of a model; vendor prefixes ("openai/gpt-4o") and date suffixes are ignored. */
  priceOf(model: string): [number, number] | undefined {
    const name = model.toLowerCase();
    const exact = this.prices[name];
    if (exact) return exact;
    const bare = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
    let best: string | undefined;
    for (const key of Object.keys(this.prices)) {
      if ((bare === key || bare.startsWith(key)) && (!best || key.length > best.length)) best = key;
    }
    return best ? this.prices[best] : undefined;
  }

  costOf(model: string, usage: LlmUsage): number {
    const p = this.priceOf(model);
    if (!p) return 0;
    return (usage.promptTokens * p[0] + usage.completionTokens * p[1]) / 1_000_000;
  }
}
