import { performance } from "node:perf_hooks";
import { RunbookLibrary } from "../knowledge/runbooks/runbook-library.js";
import { NoVectors } from "../knowledge/vectors/vector-retrieval.js";
import { DEFAULT_PROJECT_ID } from "../store/database.js";
import type { RunbookFields, RunbookRow, RunbookStore } from "../store/runbook-store.js";
import { RunbookStore as DbRunbookStore } from "../store/runbook-store.js";
import { freshDatabase } from "../testing/test-databases.js";
import { summary } from "./stats.js";

/** Deterministic generator of runbook-like documents and alert-like queries. */
const COMPONENTS =
  `api gateway checkout payments kafka zookeeper redis postgres mysql etcd kubelet coredns ingress nginx envoy
  prometheus alertmanager grafana loki tempo vault consul elasticsearch rabbitmq memcached cassandra minio ceph istio linkerd`.split(
    /\s+/,
  );
const SYMPTOMS =
  `crashlooping restarting oomkilled throttled latency timeout unreachable degraded lagging leaking saturated
  evicted pending failing expired flapping drifting corrupted stalled overloaded`.split(/\s+/);
const OBJECTS = `pod node disk volume certificate replica queue connection pool shard leader quota memory cpu heap inode
  socket thread cache index snapshot backup partition`.split(/\s+/);
const FILLER =
  `check the logs metrics dashboard restart scale rollback increase limit verify health endpoint config deploy
  kubectl describe events namespace cluster alert threshold window rate error budget runbook escalate owner team`.split(
    /\s+/,
  );

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

export function generateRunbooks(n: number, seed = 7): RunbookFields[] {
  const r = rng(seed);
  const pick = (a: string[]) => a[Math.floor(r() * a.length)] as string;
  const docs: RunbookFields[] = [];
  for (let i = 0; i < n; i++) {
    const c = pick(COMPONENTS);
    const s = pick(SYMPTOMS);
    const o = pick(OBJECTS);
    const words = Array.from({ length: 80 }, () =>
      r() < 0.15 ? pick(OBJECTS) : r() < 0.2 ? pick(SYMPTOMS) : pick(FILLER),
    );
    docs.push({
      id: `gen/${c}-${o}-${s}-${i}`,
      title: `${c} ${o} ${s}`,
      service: c,
      body: `# ${c} ${o} ${s}\n\n## Meaning\n\nThe ${o} of ${c} is ${s}. ${words.join(" ")}.\n\n## Mitigation\n\n${words.slice(0, 30).join(" ")}.`,
      url: null,
      tags: [c, o],
    });
  }
  return docs;
}

function queries(n: number): string[] {
  const r = rng(99);
  const pick = (a: string[]) => a[Math.floor(r() * a.length)] as string;
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? `${pick(COMPONENTS)} ${pick(OBJECTS)} ${pick(SYMPTOMS)} for 15 minutes in namespace payments`
      : `the ${pick(OBJECTS)} on ${pick(COMPONENTS)} keeps ${pick(SYMPTOMS)}, users see errors and slow responses`,
  );
}

/** A store that only hands the library its documents at load: search benchmarks skip the database. */
function memoryStore(rows: RunbookRow[]): RunbookStore {
  return { all: async () => rows } as unknown as RunbookStore;
}

async function searchLatency(docs: number, nQueries: number) {
  const now = new Date();
  const rows = generateRunbooks(docs).map((f) => ({
    projectId: DEFAULT_PROJECT_ID,
    ...f,
    createdAt: now,
    updatedAt: now,
  }));
  const library = new RunbookLibrary({} as never, memoryStore(rows), new NoVectors());
  const t0 = performance.now();
  await library.load(DEFAULT_PROJECT_ID);
  const indexSecs = (performance.now() - t0) / 1000;
  const qs = queries(nQueries);
  for (const q of qs.slice(0, 100)) await library.search(DEFAULT_PROJECT_ID, { query: q, topK: 10 }); // warm-up
  const ms: number[] = [];
  for (const q of qs) {
    const s = performance.now();
    await library.search(DEFAULT_PROJECT_ID, { query: q, topK: 10 });
    ms.push(performance.now() - s);
  }
  return {
    documents: docs,
    search_ms: summary(ms),
    index_build_secs: Math.round(indexSecs * 100) / 100,
    index_docs_per_sec: Math.round(docs / indexSecs),
  };
}

/** Durable ingest: POST-equivalent writes (store + index) on embedded PGlite, 8 in flight. */
async function ingestRate(docs: number) {
  const db = await freshDatabase("pglite");
  try {
    const library = new RunbookLibrary(db.database, new DbRunbookStore(), new NoVectors());
    await library.load(DEFAULT_PROJECT_ID);
    const all = generateRunbooks(docs, 3);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < all.length) await library.create(DEFAULT_PROJECT_ID, all[next++] as RunbookFields);
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    return {
      documents: docs,
      database: "pglite",
      concurrency: 8,
      secs: Math.round(secs * 100) / 100,
      docs_per_sec: Math.round(docs / secs),
    };
  } finally {
    await db.cleanup();
  }
}

/** Runbook search latency at 100, 10,000 and 100,000 generated documents, and ingest rate. */
export async function searchBench() {
  const sizes = (process.env.BENCH_SEARCH_SIZES ?? "100,10000,100000").split(",").map(Number);
  const latency = [];
  for (const n of sizes) latency.push(await searchLatency(n, n >= 100_000 ? 300 : 500));
  return {
    note: "in-process RunbookLibrary.search (BM25F + ops vocabulary expansion + highlighted excerpts, top_k 10, no vectors) over generated runbooks (~100 words each); ingest = create() into embedded PGlite, store + index",
    search: latency,
    ingest: await ingestRate(Number(process.env.BENCH_INGEST_DOCS ?? 5000)),
  };
}
