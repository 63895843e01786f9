/** Server roles of the seed (Tachyon Argus); each has its own healthy point and danger thresholds. */
export const PROFILES = [
  "Database",
  "Web Server",
  "ML Compute",
  "Conductor Mgmt",
  "Data Ingest",
  "Risk Analytics",
  "Generic",
] as const;
export type ProfileName = (typeof PROFILES)[number];

/**
 * Name tokens per profile. Short keys must match a whole token (so "ml" does not match "html");
 * long keys may prefix one ("database01" → "database"). Fleet names like "ppdb001" carry a "pp"
 * site prefix, stripped before matching.
 */
const NAME_KEYS: readonly [ProfileName, readonly string[]][] = [
  ["Database", ["db", "database", "sql", "mysql", "postgres", "pg", "oracle", "mongo", "redis"]],
  ["Web Server", ["web", "www", "api", "nginx", "http", "frontend", "apache"]],
  ["ML Compute", ["ml", "gpu", "train", "training", "inference", "cuda"]],
  ["Conductor Mgmt", ["con", "conductor", "mgmt", "scheduler"]],
  ["Data Ingest", ["etl", "ingest", "kafka", "stream", "pipeline"]],
  ["Risk Analytics", ["risk", "var", "analytics", "quant"]],
];

/** Profile from the server name alone, or undefined when the name says nothing. */
export function profileFromName(serverName: string): ProfileName | undefined {
  const tokens = serverName
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((t) => t.length > 0)
    .map((t) => (t.startsWith("pp") && t.length > 2 ? t.slice(2) : t));
  for (const [profile, keys] of NAME_KEYS) {
    for (const t of tokens) {
      for (const k of keys) if (t === k || (k.length >= 4 && t.startsWith(k))) return profile;
    }
  }
  return undefined;
}

/** Mean behaviour of a server over its first records, for servers whose names are uninformative. */
export interface MetricMeans {
  cpu: number;
  memory: number;
  iowait: number;
  network: number;
  /** java_cpu_pct / cpu (0 when the CPU is idle). */
  javaShare: number;
}

/**
 * Role from behaviour, in order of how distinctive the signature is: sustained high CPU and memory
 * (training jobs), I/O wait (databases), Java-dominated CPU (the conductor and the risk engines
 * are JVM services; risk runs hot), then traffic volume (ingest ≫ web). Otherwise "Generic".
 */
export function profileFromMetrics(m: MetricMeans): ProfileName {
  if (m.cpu >= 60 && m.memory >= 60) return "ML Compute";
  if (m.iowait >= 5) return "Database";
  if (m.javaShare >= 0.5) return m.cpu >= 40 ? "Risk Analytics" : "Conductor Mgmt";
  if (m.network >= 50) return "Data Ingest";
  if (m.network >= 15) return "Web Server";
  return "Generic";
}
