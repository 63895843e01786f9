import { z } from "zod";

export const ContainerInfo = z.object({
  name: z.string(),
  status: z.string(),
  image: z.string(),
  id: z.string(),
});
export type ContainerInfo = z.infer<typeof ContainerInfo>;

export const ContainerMetrics = z.object({
  name: z.string(),
  cpu_percent: z.number(),
  memory_mb: z.number(),
  memory_limit_mb: z.number(),
  memory_percent: z.number(),
  net_rx_bytes: z.number().int(),
  net_tx_bytes: z.number().int(),
  status: z.string(),
  uptime_seconds: z.number(),
  image: z.string(),
});
export type ContainerMetrics = z.infer<typeof ContainerMetrics>;

export const ScaleEvent = z.object({
  container_base: z.string(),
  replica_count: z.number().int(),
  replicas: z.array(z.string()),
  lb_configured: z.boolean(),
  timestamp: z.string(),
});
export type ScaleEvent = z.infer<typeof ScaleEvent>;

export const ScaleDownResult = z.object({ removed: z.array(z.string()) });
export type ScaleDownResult = z.infer<typeof ScaleDownResult>;

export const TopologyNodeType = z.enum(["agent", "app", "replica", "loadbalancer", "dashboard", "unknown"]);
export const TopologyNode = z.object({
  id: z.string(),
  type: TopologyNodeType,
  status: z.string(),
  image: z.string(),
});
export const TopologyEdge = z.object({ from: z.string(), to: z.string(), label: z.string() });
export const Topology = z.object({ nodes: z.array(TopologyNode), edges: z.array(TopologyEdge) });
export type Topology = z.infer<typeof Topology>;
export type TopologyNode = z.infer<typeof TopologyNode>;
