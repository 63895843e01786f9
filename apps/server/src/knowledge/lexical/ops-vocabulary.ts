import { type Analyzer, tokenize } from "./tokenize.js";

/** A phrase, optionally with a weight in (0,1] saying how closely it stands for the class. */
export type SynonymMember = string | readonly [phrase: string, weight: number];

/** Phrases that an on-call engineer uses interchangeably. `weight` scales every expansion. */
export interface SynonymClass {
  name: string;
  weight: number;
  members: readonly SynonymMember[];
}

/**
 * A query term with its weight; `expanded` marks terms added by the vocabulary. Expansions of one
 * class share a `group`: the index scores a group as one concept (best member plus a small tie
 * bonus), so a document can't collect many weak synonyms of a single idea.
 */
export interface WeightedTerm {
  term: string;
  weight: number;
  expanded: boolean;
  group?: string;
}

/** Expansions never weigh more than this, so original wording always dominates. */
export const MAX_EXPANSION_WEIGHT = 0.6;

/**
 * General ops knowledge (Kubernetes, Prometheus, Linux, databases, networking, HTTP). Weak
 * members (weight < 1) are broader words that should pull in the class only a little.
 */
export const OPS_SYNONYM_CLASSES: readonly SynonymClass[] = [
  // --- memory
  {
    name: "oom",
    weight: 0.6,
    members: [
      "oom",
      "oomkilled",
      "oom killer",
      "out of memory",
      "memory exhausted",
      "memory limit",
      "exit code 137",
      "cannot allocate memory",
      ["heap", 0.7],
      ["killed", 0.5],
      ["memory", 0.6],
    ],
  },
  {
    name: "memory-pressure",
    weight: 0.5,
    members: ["memory pressure", "memory usage", "ram", "rss", "working set", ["swap", 0.6], ["memory", 0.7]],
  },
  { name: "leak", weight: 0.5, members: ["leak", "leaking", "growing", "increasing", ["creeping", 0.7]] },
  { name: "gc", weight: 0.5, members: ["gc", "garbage collection", "gc pause", ["stop the world", 0.7]] },
  {
    name: "at-max",
    weight: 0.5,
    members: [
      "max",
      "maximum",
      "upper bound",
      "upper limit",
      "ceiling",
      "cap",
      "capped",
      "limit reached",
      "at the limit",
    ],
  },
  {
    name: "reconcile",
    weight: 0.5,
    members: ["reconcile", "reconciliation", "reconciling", "desired state", "sync", "syncing", ["apply", 0.6]],
  },
  {
    name: "watch",
    weight: 0.5,
    members: ["watch", "watches", "watch stream", "streaming connection", "informer", ["long poll", 0.7]],
  },
  {
    name: "startup",
    weight: 0.5,
    members: [
      "startup",
      "start up",
      "slow to start",
      "startup time",
      "startup latency",
      "cold start",
      ["starting", 0.6],
    ],
  },
  {
    name: "discarded",
    weight: 0.4,
    members: ["discarded", "dropped", "thrown away", "ignored", "rejected", ["lost", 0.5]],
  },
  // --- restarts / lifecycle
  {
    name: "crashloop",
    weight: 0.6,
    members: [
      "crashloop",
      "crash loop",
      "crashloopbackoff",
      "crashing",
      "restarting",
      "restarts",
      "keeps restarting",
      "restart loop",
      "back-off",
      "keeps crashing",
      "keeps dying",
      ["dying", 0.7],
      ["dies", 0.7],
      ["coming back", 0.6],
      ["crash", 0.8],
      ["exit code", 0.5],
    ],
  },
  {
    name: "not-ready",
    weight: 0.5,
    members: ["not ready", "unready", "readiness", "readiness probe", "liveness probe", ["probe failed", 0.8]],
  },
  {
    name: "pending",
    weight: 0.5,
    members: [
      "pending",
      "unschedulable",
      "not scheduled",
      "cannot be scheduled",
      "failed scheduling",
      "insufficient resources",
      ["waiting", 0.6],
    ],
  },
  {
    name: "image-pull",
    weight: 0.6,
    members: ["imagepullbackoff", "errimagepull", "image pull", "pull image", "registry", ["manifest unknown", 0.7]],
  },
  {
    name: "stuck",
    weight: 0.5,
    members: ["stuck", "hung", "hanging", "not progressing", "frozen", "blocked", "not completing", ["slow", 0.4]],
  },
  // --- HTTP / errors
  {
    name: "5xx",
    weight: 0.6,
    members: [
      "5xx",
      "500",
      "502",
      "503",
      "504",
      "server error",
      "internal server error",
      "bad gateway",
      "service unavailable",
      "gateway timeout",
      ["errors", 0.5],
      ["error rate", 0.6],
    ],
  },
  {
    name: "4xx",
    weight: 0.5,
    members: ["4xx", "400", "404", "client error", "bad request", "not found", ["errors", 0.4]],
  },
  {
    name: "rate-limit",
    weight: 0.6,
    members: ["rate limit", "rate limited", "ratelimit", "429", "too many requests", "throttled requests"],
  },
  {
    name: "auth",
    weight: 0.5,
    members: [
      "unauthorized",
      "401",
      "403",
      "forbidden",
      "permission denied",
      "access denied",
      "authentication",
      "rbac",
      ["credentials", 0.7],
    ],
  },
  {
    name: "failure",
    weight: 0.4,
    members: ["error", "errors", "failure", "failing", "failed", "broken", ["problem", 0.6], ["issue", 0.6]],
  },
  // --- performance
  {
    name: "latency",
    weight: 0.6,
    members: [
      "latency",
      "slow",
      "p99",
      "p95",
      "p90",
      "response time",
      "high latency",
      "duration",
      "takes long",
      ["delay", 0.8],
      ["sluggish", 0.8],
    ],
  },
  {
    name: "cpu",
    weight: 0.6,
    members: ["cpu", "throttling", "throttled", "cpu usage", "busy", "processor", "cores", ["load average", 0.7]],
  },
  { name: "saturation", weight: 0.4, members: ["saturation", "saturated", "exhausted", "maxed out", "at capacity"] },
  { name: "high", weight: 0.4, members: ["high", "elevated", "spike", "spiking", "too many", ["excessive", 0.8]] },
  { name: "timeout", weight: 0.6, members: ["timeout", "timed out", "deadline exceeded", "timeouts", ["hang", 0.5]] },
  // --- storage
  {
    name: "disk",
    weight: 0.6,
    members: [
      "disk",
      "volume",
      "filesystem",
      "storage",
      "pvc",
      "persistent volume",
      "persistentvolumeclaim",
      "mount",
      ["drive", 0.8],
    ],
  },
  {
    name: "disk-full",
    weight: 0.6,
    members: [
      "no space",
      "no space left",
      "disk full",
      "out of space",
      "running out of space",
      "filling up",
      "almost full",
      "space",
      ["usage", 0.4],
    ],
  },
  { name: "inodes", weight: 0.6, members: ["inodes", "inode", "files", "out of files", "file count"] },
  { name: "io", weight: 0.5, members: ["io", "iops", "disk io", "fsync", "write latency", "disk latency", "iowait"] },
  { name: "raid", weight: 0.6, members: ["raid", "mdadm", "disk array", "degraded array", "disk failure"] },
  // --- certificates / security
  {
    name: "cert",
    weight: 0.6,
    members: [
      "cert",
      "certs",
      "certificate",
      "tls",
      "ssl",
      "x509",
      "expired",
      "expiring",
      "expiration",
      "expires",
      ["renewal", 0.8],
      ["handshake", 0.7],
    ],
  },
  { name: "secret", weight: 0.5, members: ["secret", "credentials", "password", "token", "api key"] },
  // --- kubernetes objects
  { name: "pod", weight: 0.5, members: ["pod", "pods", "container", "containers", ["workload", 0.6]] },
  {
    name: "node",
    weight: 0.5,
    members: ["node", "nodes", "host", "hosts", "kubelet", "worker node", "machine", "vm", ["server", 0.5]],
  },
  {
    name: "replicas",
    weight: 0.5,
    members: [
      "replicas",
      "replica count",
      "scale",
      "scaling",
      "scaled",
      "hpa",
      "autoscaler",
      "horizontal pod autoscaler",
      ["instances", 0.5],
    ],
  },
  {
    name: "rollout",
    weight: 0.5,
    members: [
      "rollout",
      "deploy",
      "deployment",
      "release",
      "rolling update",
      "update",
      "upgrade",
      ["revision", 0.7],
      ["rollback", 0.7],
    ],
  },
  {
    name: "workload-controllers",
    weight: 0.3,
    members: ["deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob"],
  },
  { name: "job", weight: 0.5, members: ["job", "cronjob", "batch job", "scheduled task"] },
  {
    name: "control-plane",
    weight: 0.5,
    members: ["apiserver", "api server", "kube api", "control plane", "kube-apiserver", "kubernetes api"],
  },
  {
    name: "quota",
    weight: 0.5,
    members: ["quota", "resource quota", "limit", "limits", "exceeded", "overcommit", "overcommitted"],
  },
  { name: "namespace", weight: 0.4, members: ["namespace", "project", "tenant"] },
  {
    name: "config",
    weight: 0.5,
    members: [
      "config",
      "configuration",
      "settings",
      "configmap",
      "config file",
      "yaml",
      ["manifest", 0.7],
      ["reload", 0.6],
    ],
  },
  {
    name: "mismatch",
    weight: 0.5,
    members: ["mismatch", "inconsistent", "different", "out of sync", "diverged", "drift", "does not match"],
  },
  { name: "version", weight: 0.5, members: ["version", "versions", "upgrade", "version skew", "outdated"] },
  // --- availability
  {
    name: "down",
    weight: 0.5,
    members: [
      "down",
      "unreachable",
      "unavailable",
      "not responding",
      "unresponsive",
      "dead",
      "offline",
      "outage",
      "disappeared",
      "not running",
      "not up",
      ["stopped", 0.7],
      ["absent", 0.8],
      ["missing", 0.6],
    ],
  },
  {
    name: "flapping",
    weight: 0.6,
    members: ["flapping", "flaps", "unstable", "intermittent", "bouncing", "toggling", "up and down", "changing state"],
  },
  // --- networking
  {
    name: "network",
    weight: 0.5,
    members: ["network", "networking", "connectivity", "interface", "nic", "packets", ["link", 0.6]],
  },
  {
    name: "packet-errors",
    weight: 0.6,
    members: ["packet loss", "dropped packets", "drops", "receive errors", "transmit errors", "crc errors"],
  },
  {
    name: "connection",
    weight: 0.5,
    members: ["connection refused", "connection reset", "cannot connect", "connection failed", "econnrefused"],
  },
  { name: "connections", weight: 0.5, members: ["connections", "connection pool", "sockets", "max connections"] },
  { name: "conntrack", weight: 0.7, members: ["conntrack", "connection tracking", "nf_conntrack", "nf conntrack"] },
  { name: "dns", weight: 0.6, members: ["dns", "name resolution", "coredns", "kube-dns", "nxdomain", "resolve"] },
  {
    name: "ingress",
    weight: 0.5,
    members: ["ingress", "load balancer", "lb", "proxy", "reverse proxy", "nginx", "envoy", ["gateway", 0.6]],
  },
  {
    name: "fds",
    weight: 0.7,
    members: ["file descriptors", "fd", "fds", "open files", "ulimit", "too many open files"],
  },
  { name: "clock", weight: 0.6, members: ["clock", "ntp", "chrony", "time sync", "clock skew", "clock drift", "skew"] },
  // --- databases / queues
  {
    name: "database",
    weight: 0.5,
    members: ["database", "db", "postgres", "postgresql", "mysql", "mariadb", ["sql", 0.7]],
  },
  {
    name: "replication-lag",
    weight: 0.6,
    members: ["replication lag", "replica lag", "lag", "lagging", "falling behind", "behind", ["delay", 0.6]],
  },
  { name: "deadlock", weight: 0.6, members: ["deadlock", "deadlocks", "lock wait", "lock contention", "locks"] },
  {
    name: "queue",
    weight: 0.5,
    members: ["queue", "backlog", "queue full", "pending messages", "consumer lag", ["buffer", 0.6]],
  },
  // --- consensus / clustering
  {
    name: "quorum",
    weight: 0.6,
    members: ["quorum", "leader", "no leader", "leader election", "raft", "split brain", "consensus"],
  },
  { name: "members", weight: 0.5, members: ["members", "peers", "cluster members", "nodes in cluster"] },
  // --- monitoring stack
  {
    name: "scrape",
    weight: 0.5,
    members: [
      "scrape",
      "scraping",
      "target",
      "targets",
      "exporter",
      "metrics endpoint",
      "service discovery",
      ["collect", 0.7],
      ["collected", 0.7],
      ["discovery", 0.7],
    ],
  },
  {
    name: "alerting",
    weight: 0.5,
    members: ["alert", "alerts", "notification", "notifications", "page", "paging", "alertmanager", "receiver"],
  },
  { name: "tsdb", weight: 0.5, members: ["tsdb", "wal", "compaction", "blocks", "head block", "time series database"] },
  {
    name: "remote-write",
    weight: 0.6,
    members: ["remote write", "remote storage", "remote endpoint", "shards", "samples pending"],
  },
  {
    name: "rules",
    weight: 0.5,
    members: ["rule evaluation", "recording rule", "alerting rule", "rules", "rule group"],
  },
];

interface CompiledMember {
  tokens: string[];
  weight: number;
  classIdx: number;
}

/** Query expansion over weighted equivalence classes of phrases. */
export class OpsVocabulary {
  private readonly classes: CompiledMember[][] = [];
  private readonly classWeights: number[] = [];
  private readonly classNames: string[] = [];
  /** first token → members starting with it, for phrase matching in one pass over the query. */
  private readonly byFirst = new Map<string, CompiledMember[]>();

  constructor(
    classes: readonly SynonymClass[] = OPS_SYNONYM_CLASSES,
    private readonly analyzer: Analyzer = tokenize,
  ) {
    for (const c of classes) {
      const classIdx = this.classes.length;
      const members: CompiledMember[] = [];
      const seen = new Set<string>();
      for (const m of c.members) {
        const [phrase, weight] = typeof m === "string" ? [m, 1] : m;
        const tokens = this.analyzer(phrase);
        const key = tokens.join(" ");
        if (tokens.length === 0 || seen.has(key)) continue;
        seen.add(key);
        const member = { tokens, weight, classIdx };
        members.push(member);
        const first = tokens[0] as string;
        const list = this.byFirst.get(first);
        if (list) list.push(member);
        else this.byFirst.set(first, [member]);
      }
      this.classes.push(members);
      this.classWeights.push(c.weight);
      this.classNames.push(c.name);
    }
  }

  /**
   * Weighted query terms: originals weigh (1 + ln(tf)) × boost; each class triggered by a phrase in the
   * query adds its other members at classWeight × triggerWeight × memberWeight (capped below 1).
   * A multi-word member spreads its weight over its words (÷√n) so phrases don't outvote words.
   */
  expand(terms: readonly string[], boosts?: ReadonlyMap<string, number>): WeightedTerm[] {
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    const out = new Map<string, WeightedTerm>();
    for (const [t, n] of counts)
      out.set(t, { term: t, weight: (1 + Math.log(n)) * (boosts?.get(t) ?? 1), expanded: false });
    // strongest trigger per class
    const triggered = new Map<number, number>();
    for (let i = 0; i < terms.length; i++) {
      const candidates = this.byFirst.get(terms[i] as string);
      if (!candidates) continue;
      for (const m of candidates) {
        if (!matchesAt(terms, i, m.tokens)) continue;
        const prev = triggered.get(m.classIdx) ?? 0;
        if (m.weight > prev) triggered.set(m.classIdx, m.weight);
      }
    }
    for (const [classIdx, triggerWeight] of triggered) {
      const classWeight = (this.classWeights[classIdx] as number) * triggerWeight;
      const group = this.classNames[classIdx] as string;
      for (const m of this.classes[classIdx] as CompiledMember[]) {
        const w = Math.min(MAX_EXPANSION_WEIGHT, (classWeight * m.weight) / Math.sqrt(m.tokens.length));
        for (const t of m.tokens) {
          const cur = out.get(t);
          if (!cur) out.set(t, { term: t, weight: w, expanded: true, group });
          else if (cur.expanded && w > cur.weight) {
            cur.weight = w;
            cur.group = group;
          }
        }
      }
    }
    return [...out.values()];
  }

  /** Analyse then expand. */
  expandText(text: string): WeightedTerm[] {
    return this.expand(this.analyzer(text));
  }
}

const matchesAt = (terms: readonly string[], i: number, phrase: readonly string[]): boolean => {
  if (i + phrase.length > terms.length) return false;
  for (let j = 0; j < phrase.length; j++) if (terms[i + j] !== phrase[j]) return false;
  return true;
};

/** Shared default vocabulary (built once; analysis of the phrase table is not free). */
export const defaultOpsVocabulary = new OpsVocabulary();

/** Weighted, expanded terms for a free-text query using the default ops vocabulary. */
export const expandQuery = (text: string): WeightedTerm[] => defaultOpsVocabulary.expandText(text);
