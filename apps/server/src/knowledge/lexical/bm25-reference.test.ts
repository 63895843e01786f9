import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25-index.js";
import { tokenize } from "./tokenize.js";

/** Differential test: the optimised index against a naive BM25F over the live documents. */
interface Doc {
  title: string;
  body: string;
}
const fieldDefs = [
  { name: "title", weight: 3, b: 0.5, value: (d: Doc) => d.title },
  { name: "body", weight: 1, b: 0.75, value: (d: Doc) => d.body },
];
const K1 = 1.2;

function naiveScores(docs: Map<string, Doc>, query: string): Map<string, number> {
  const n = docs.size;
  const analysed = [...docs].map(([id, d]) => ({ id, fields: fieldDefs.map((f) => tokenize(f.value(d))) }));
  const avg = fieldDefs.map((_, f) => analysed.reduce((s, a) => s + (a.fields[f]?.length ?? 0), 0) / n);
  const qtf = new Map<string, number>();
  for (const t of tokenize(query)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
  const out = new Map<string, number>();
  for (const [term, c] of qtf) {
    const df = analysed.filter((a) => a.fields.some((ts) => ts.includes(term))).length;
    if (df === 0) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const a of analysed) {
      let tf = 0;
      fieldDefs.forEach((f, i) => {
        const ts = a.fields[i] ?? [];
        const x = ts.filter((t) => t === term).length;
        if (x) tf += (x * f.weight) / (1 - f.b + (f.b * ts.length) / (avg[i] as number));
      });
      if (tf > 0) out.set(a.id, (out.get(a.id) ?? 0) + (1 + Math.log(c)) * idf * ((tf * (K1 + 1)) / (tf + K1)));
    }
  }
  return out;
}

const VOCAB = `pod node disk memory cpu latency error restart crash
  etcd leader quorum tls cert expired scale replica api`.split(/\s+/);
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

/** Random add/update/remove script, checking search against the naive scorer every 25 steps. */
function runScript(tolerance: number | undefined, closeTo: (got: number, want: number) => void) {
  const rand = rng(7);
  const words = (k: number) => Array.from({ length: k }, () => VOCAB[Math.floor(rand() * VOCAB.length)]).join(" ");
  const idx = new Bm25Index<Doc>({ fields: fieldDefs, k1: K1, vocabulary: null, avgLengthTolerance: tolerance });
  const live = new Map<string, Doc>();
  let checks = 0;
  for (let step = 0; step < 600; step++) {
    const id = `d${Math.floor(rand() * 120)}`;
    const r = rand();
    if (r < 0.6) {
      const doc = { title: words(1 + Math.floor(rand() * 3)), body: words(3 + Math.floor(rand() * 20)) };
      idx.update(id, doc);
      live.set(id, doc);
    } else if (r < 0.8) {
      expect(idx.remove(id)).toBe(live.delete(id));
    }
    if (step % 25 !== 0 || live.size === 0) continue;
    const query = words(1 + Math.floor(rand() * 5));
    const expected = naiveScores(live, query);
    const hits = idx.search(query, { limit: 1000 });
    expect(new Set(hits.map((h) => h.id))).toEqual(new Set(expected.keys()));
    for (const h of hits) closeTo(h.score, expected.get(h.id) ?? Number.NaN);
    if (checks % 3 === 0) {
      // compaction renumbers slots but must not change any score
      idx.compact();
      const after = idx.search(query, { limit: 1000 });
      expect(after.map((h) => [h.id, h.score])).toEqual(hits.map((h) => [h.id, h.score]));
    }
    checks++;
  }
  expect(idx.size).toBe(live.size);
  expect(checks).toBeGreaterThan(15);
  // the script deletes enough for automatic compaction to have renumbered slots
  expect(idx.stats().slots).toBeLessThan(live.size + 64 + 1);
}

describe("Bm25Index vs naive BM25F", () => {
  it("agrees exactly through random adds, updates and removes (exact length norms)", () => {
    runScript(0, (got, want) => expect(got).toBeCloseTo(want, 4));
  });

  it("stays within the length-drift tolerance with lazily refreshed norms", () => {
    runScript(undefined, (got, want) => expect(Math.abs(got - want) / want).toBeLessThan(0.02));
  });

  it("keeps cached saturations consistent when averages never refresh", () => {
    // Frozen averages: scores differ from the naive ones, but the matching set must not.
    runScript(Number.POSITIVE_INFINITY, (got) => expect(got).toBeGreaterThan(0));
  });
});
