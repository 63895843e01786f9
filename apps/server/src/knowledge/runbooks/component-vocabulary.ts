import { OPS_SYNONYM_CLASSES, OpsVocabulary, type SynonymClass } from "../lexical/index.js";

/**
 * How on-call engineers name the components of a Kubernetes / Prometheus stack when they don't use
 * the component's name: "the node agent" for the kubelet, "the alert router" for Alertmanager.
 * Alert texts and runbook titles use the names, paraphrased reports the descriptions; these classes
 * connect the two. General knowledge of the stack, not of any one runbook.
 */
export const COMPONENT_SYNONYM_CLASSES: readonly SynonymClass[] = [
  {
    name: "c-alertmanager",
    weight: 0.6,
    members: [
      "alertmanager",
      "alert manager",
      "alert router",
      "alert routers",
      "alert routing",
      "notification router",
      "notification routers",
      "notification routing",
      "notification service",
      "notifier",
      ["paging", 0.5],
      ["pages", 0.4],
    ],
  },
  {
    name: "c-etcd",
    weight: 0.6,
    members: [
      "etcd",
      "key value store",
      "key-value store",
      "kv store",
      "cluster store",
      "control plane store",
      "consensus store",
      "raft",
      ["consensus", 0.7],
    ],
  },
  { name: "c-kubelet", weight: 0.6, members: ["kubelet", "node agent", "kubernetes agent", ["agent", 0.4]] },
  {
    name: "c-prometheus",
    weight: 0.5,
    members: [
      "prometheus",
      "monitoring server",
      "monitoring system",
      "metrics server",
      "metrics database",
      "metrics storage",
      "metrics backend",
      "time series database",
      "tsdb",
      ["scraper", 0.8],
      ["monitoring", 0.5],
    ],
  },
  {
    name: "c-operator",
    weight: 0.5,
    members: ["prometheus operator", "monitoring operator", "operator", ["reconcile", 0.6], ["controller", 0.4]],
  },
  {
    name: "c-kube-state-metrics",
    weight: 0.6,
    members: ["kube state metrics", "kube-state-metrics", "ksm", "object metrics", "state exporter", "object state"],
  },
  {
    name: "c-daemonset",
    weight: 0.5,
    members: ["daemonset", "daemon set", "per node", "every node", "each node", "node agents", ["agents", 0.5]],
  },
  {
    name: "c-statefulset",
    weight: 0.5,
    members: [
      "statefulset",
      "stateful set",
      "stateful",
      ["brokers", 0.5],
      ["ensemble", 0.5],
      ["database cluster", 0.5],
    ],
  },
  {
    name: "c-controller-manager",
    weight: 0.5,
    members: ["controller manager", "kube controller manager", "controllers", "controller"],
  },
  {
    name: "c-scheduler",
    weight: 0.5,
    members: ["scheduler", "kube scheduler", "scheduling", "placement", "assigned to a node", "node assigned"],
  },
  {
    name: "c-kube-proxy",
    weight: 0.6,
    members: ["kube proxy", "kube-proxy", "service routing", "iptables", "ipvs", ["network proxy", 0.8]],
  },
  {
    name: "c-aggregated-api",
    weight: 0.5,
    members: ["aggregated api", "apiservice", "extension api", "metrics.k8s.io", "metrics-server", "aggregation layer"],
  },
  { name: "c-inodes", weight: 0.6, members: ["inode", "inodes", "index node", "index nodes", "file entries"] },
  {
    name: "c-raid",
    weight: 0.6,
    members: ["raid", "mdadm", "md array", "software raid", "mirror", "mirrored", "array", ["redundancy", 0.7]],
  },
  {
    name: "c-time",
    weight: 0.6,
    members: ["ntp", "chrony", "timesyncd", "time daemon", "time server", "time sync", "clock", ["time", 0.5]],
  },
  {
    name: "c-samples",
    weight: 0.5,
    members: ["samples", "sample", "data points", "datapoints", "points", ["series", 0.6]],
  },
  { name: "c-ingest", weight: 0.5, members: ["ingest", "ingesting", "ingestion", "storing", "appending", "receiving"] },
  {
    name: "c-remote-storage",
    weight: 0.5,
    members: ["remote write", "remote storage", "long term storage", "thanos", "cortex", "mimir", "shipping metrics"],
  },
  { name: "c-compaction", weight: 0.5, members: ["compaction", "compactions", "compact", "merge blocks", "merging"] },
  {
    name: "c-gone",
    weight: 0.4,
    members: [
      "gone",
      "vanished",
      "disappeared",
      "stopped answering",
      "not answering",
      "missing",
      "absent",
      "lost",
      "down",
    ],
  },
  { name: "c-stalled", weight: 0.4, members: ["stalled", "stuck", "halfway", "half finished", "not progressing"] },
  { name: "c-skipped", weight: 0.5, members: ["skipped", "missed", "missing evaluations", "dropped iterations"] },
  { name: "c-rejected", weight: 0.5, members: ["rejected", "refused", "invalid", "denied"] },
];

/** The ops vocabulary plus the component aliases: the runbook index's query expansion. */
export const runbookVocabulary = new OpsVocabulary([...OPS_SYNONYM_CLASSES, ...COMPONENT_SYNONYM_CLASSES]);
