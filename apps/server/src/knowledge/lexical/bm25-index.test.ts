import { describe, expect, it } from "vitest";
import { Bm25Index, type FieldSpec } from "./bm25-index.js";

interface Doc {
  title: string;
  service: string;
  body: string;
}

const fields: FieldSpec<Doc>[] = [
  { name: "title", weight: 3, value: (d) => d.title },
  { name: "service", weight: 2, b: 0, value: (d) => d.service },
  { name: "body", weight: 1, value: (d) => d.body },
];

const corpus: Record<string, Doc> = {
  crash: {
    title: "Pod crash looping",
    service: "payments",
    body: "The container exits and kubelet restarts it with back-off. Check the logs of the previous container.",
  },
  oom: {
    title: "Container OOMKilled",
    service: "checkout",
    body: "The process exceeded its memory limit and was killed. Raise the limit or fix the leak.",
  },
  disk: {
    title: "Node filesystem almost full",
    service: "platform",
    body: "Free space on the root volume is below 5%. Remove old images and logs.",
  },
  cert: {
    title: "Certificate expiring",
    service: "ingress",
    body: "The TLS certificate of the ingress expires in 3 days. Renew it with cert-manager.",
  },
  latency: {
    title: "High request latency",
    service: "payments",
    body: "p99 latency of the payments API is above 2s. Check the database and downstream calls.",
  },
};

const build = (opts: Partial<ConstructorParameters<typeof Bm25Index<Doc>>[0]> = {}) => {
  const idx = new Bm25Index<Doc>({ fields, ...opts });
  for (const [id, d] of Object.entries(corpus)) idx.add(id, d);
  return idx;
};

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe("Bm25Index", () => {
  it("ranks the document sharing the rarest terms first", () => {
    const idx = build();
    expect(ids(idx.search("pod crash looping"))[0]).toBe("crash");
    expect(ids(idx.search("tls certificate renew"))[0]).toBe("cert");
    expect(ids(idx.search("root volume free space"))[0]).toBe("disk");
  });

  it("more matching terms rank higher, unrelated documents are not returned", () => {
    const idx = new Bm25Index<Doc>({ fields, vocabulary: null });
    idx.add("a", { title: "", service: "", body: "alpha beta gamma" });
    idx.add("b", { title: "", service: "", body: "alpha beta delta" });
    idx.add("c", { title: "", service: "", body: "alpha epsilon zeta" });
    idx.add("d", { title: "", service: "", body: "unrelated words only" });
    expect(ids(idx.search("alpha beta gamma"))).toEqual(["a", "b", "c"]);
  });

  it("applies field weights (BM25F)", () => {
    const docs: Record<string, Doc> = {
      inTitle: { title: "redis eviction", service: "", body: "cache notes" },
      inBody: { title: "cache notes", service: "", body: "redis eviction" },
    };
    const titleHeavy = new Bm25Index<Doc>({ fields, vocabulary: null });
    const bodyHeavy = new Bm25Index<Doc>({
      fields: [
        { name: "title", weight: 1, value: (d) => d.title },
        { name: "body", weight: 3, value: (d) => d.body },
      ],
      vocabulary: null,
    });
    for (const [id, d] of Object.entries(docs)) {
      titleHeavy.add(id, d);
      bodyHeavy.add(id, d);
    }
    expect(ids(titleHeavy.search("redis eviction"))).toEqual(["inTitle", "inBody"]);
    expect(ids(bodyHeavy.search("redis eviction"))).toEqual(["inBody", "inTitle"]);
  });

  it("add, update and remove change results incrementally", () => {
    const idx = build();
    expect(ids(idx.search("kafka consumer lag"))).not.toContain("kafka");
    idx.add("kafka", { title: "Kafka consumer lag", service: "streaming", body: "Consumers fall behind the topic." });
    expect(ids(idx.search("kafka consumer lag"))[0]).toBe("kafka");
    expect(idx.size).toBe(6);

    idx.update("kafka", { title: "Zookeeper session expired", service: "streaming", body: "Reconnect the brokers." });
    expect(ids(idx.search("kafka consumer"))).not.toContain("kafka");
    expect(ids(idx.search("zookeeper session"))[0]).toBe("kafka");

    expect(idx.remove("kafka")).toBe(true);
    expect(idx.remove("kafka")).toBe(false);
    expect(ids(idx.search("zookeeper session"))).toEqual([]);
    expect(idx.has("kafka")).toBe(false);
    expect(() => idx.add("crash", corpus.crash as Doc)).toThrow(/already indexed/);
  });

  it("keeps idf in step with adds and removes", () => {
    const idx = build({ vocabulary: null });
    const before = idx.idf("payment");
    idx.add("x", { title: "payments", service: "", body: "" });
    expect(idx.idf("payment")).toBeLessThan(before);
    idx.remove("x");
    expect(idx.idf("payment")).toBeCloseTo(before);
  });

  it("gives the same results after compaction as a fresh index", () => {
    const churned = new Bm25Index<Doc>({ fields, compactRatio: 0.1 });
    for (let i = 0; i < 200; i++) churned.add(`tmp${i}`, { title: `noise ${i}`, service: "x", body: "filler text" });
    for (const [id, d] of Object.entries(corpus)) churned.add(id, d);
    for (let i = 0; i < 200; i++) churned.remove(`tmp${i}`);
    expect(churned.stats().slots).toBeLessThan(205); // compacted on its own along the way
    churned.compact();
    expect(churned.stats().slots).toBe(Object.keys(corpus).length);
    const fresh = build();
    for (const q of ["pod restarts", "memory limit killed", "ingress tls", "payments latency"]) {
      const a = churned.search(q);
      const b = fresh.search(q);
      expect(ids(a)).toEqual(ids(b));
      for (const [i, h] of a.entries()) expect(h.score).toBeCloseTo(b[i]?.score ?? 0, 9);
    }
  });

  it("scores the same with lazily refreshed length norms as with exact ones", () => {
    const lazy = build();
    const exact = build({ avgLengthTolerance: 0 });
    const extra: Doc = { title: "Disk pressure", service: "platform", body: "kubelet evicts pods when the disk fills" };
    lazy.add("extra", extra);
    exact.add("extra", extra);
    for (const q of ["disk pressure evicts pods", "pod crash looping"]) {
      expect(ids(lazy.search(q))).toEqual(ids(exact.search(q)));
    }
  });

  it("filters by predicate without dropping matches that pass", () => {
    const idx = build();
    const all = idx.search("payments latency crash memory tls");
    const onlyPayments = idx.search("payments latency crash memory tls", { filter: (d) => d.service === "payments" });
    expect(ids(onlyPayments).sort()).toEqual(["crash", "latency"]);
    expect(ids(all).length).toBeGreaterThan(2);
    const oneHit = idx.search("payments latency crash memory tls", {
      limit: 1,
      filter: (d) => d.service === "payments",
    });
    expect(oneHit).toHaveLength(1);
  });

  it("honours limit and orders by score", () => {
    const hits = build().search("the pod container node memory disk certificate latency", { limit: 3 });
    expect(hits).toHaveLength(3);
    for (let i = 1; i < hits.length; i++)
      expect((hits[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((hits[i] as { score: number }).score);
  });

  it("finds synonyms through expansion, below an exact match", () => {
    const idx = build();
    const hits = idx.search("service ran out of memory");
    expect(hits[0]?.id).toBe("oom");
    expect(hits[0]?.matchedTerms).toContain("memori");
    const noExpansion = idx.search("heap exhausted", { expand: false });
    expect(ids(noExpansion)).toEqual([]);
    expect(ids(idx.search("heap exhausted"))[0]).toBe("oom");
    // the same document scores lower through synonyms than through its own words
    const viaSynonym = idx.search("heap exhausted")[0]?.ratio ?? 0;
    const direct = idx.search("memory limit killed")[0]?.ratio ?? 0;
    expect(viaSynonym).toBeLessThan(direct);
  });

  it("normalises scores into [0,1], higher for better matches, and flags weak matches", () => {
    const idx = build();
    const strong = idx.search("Pod crash looping, container restarts with back-off")[0];
    const partial = idx.search("pod crash looping in the zurich datacenter after the frobnicator upgrade")[0];
    const weak = idx.search("quantum flux capacitor misaligned, please check pod")[0];
    for (const h of [strong, partial, weak]) {
      expect(h?.similarity).toBeGreaterThanOrEqual(0);
      expect(h?.similarity).toBeLessThanOrEqual(1);
      expect(h?.ratio).toBeLessThanOrEqual(1);
    }
    expect(strong?.id).toBe("crash");
    expect(strong?.similarity).toBeGreaterThan(partial?.similarity ?? 1);
    expect(partial?.similarity).toBeGreaterThan(weak?.similarity ?? 1);
    expect(strong?.confident).toBe(true);
    expect(weak?.confident).toBe(false);
    expect(weak?.confidence).toBe("low");
    expect(strong?.coverage).toBeGreaterThan(weak?.coverage ?? 1);
  });

  it("reports matched terms, originals before expansions", () => {
    const hit = build().search("tls certificate expired")[0];
    expect(hit?.id).toBe("cert");
    expect(hit?.matchedTerms.slice(0, 2).sort()).toEqual(["certif", "tls"]);
  });

  it("accepts a pre-weighted query and a custom analyzer", () => {
    const idx = new Bm25Index<{ text: string }>({
      fields: [{ name: "text", value: (d) => d.text }],
      analyzer: (t) => t.split(/\s+/).filter(Boolean),
      vocabulary: null,
    });
    idx.add("1", { text: "Foo bar" });
    idx.add("2", { text: "foo baz" });
    expect(ids(idx.search("Foo"))).toEqual(["1"]);
    expect(ids(idx.search([{ term: "baz", weight: 1, expanded: false }]))).toEqual(["2"]);
  });

  it("returns nothing for empty queries and empty indexes", () => {
    expect(build().search("   the of and ")).toEqual([]);
    expect(new Bm25Index<Doc>({ fields }).search("pod")).toEqual([]);
    const idx = build();
    idx.clear();
    expect(idx.size).toBe(0);
    expect(idx.search("pod")).toEqual([]);
  });
});
