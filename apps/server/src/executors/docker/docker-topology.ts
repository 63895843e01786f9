import type { Topology } from "@aegis/contracts";
import type Docker from "dockerode";
import { nameOf } from "./container-engine.js";

export interface TopologyInput {
  /** The engine's list (`GET /containers/json?all=1`). */
  containers: Docker.ContainerInfo[];
  /** Managed targets with their replicas; `balanced` when the load balancer routes to them. */
  targets: { name: string; replicas: string[]; balanced: boolean }[];
  agent: { id: string; image: string };
  lb: { id: string; status: string; image: string };
}

/**
 * Seed 000's topology from the engine's containers and networks: the agent monitors each target (`app`)
 * and spawned its replicas; the balancer routes to them; other containers on a target's own networks
 * (databases, caches, …) are its neighbours (`unknown`).
 */
export function dockerTopology(input: TopologyInput): Topology {
  const nodes: Topology["nodes"] = [{ id: input.agent.id, type: "agent", status: "running", image: input.agent.image }];
  const edges: Topology["edges"] = [];
  const byName = new Map(input.containers.map((c) => [nameOf(c.Names), c]));
  const managed = new Set(input.targets.flatMap((t) => [t.name, ...t.replicas]));
  const seen = new Set<string>();
  for (const t of input.targets) {
    for (const name of [t.name, ...t.replicas]) {
      const c = byName.get(name);
      const replica = name !== t.name;
      seen.add(name);
      nodes.push({ id: name, type: replica ? "replica" : "app", status: c?.State ?? "missing", image: c?.Image ?? "" });
      edges.push({ from: input.agent.id, to: name, label: replica ? "spawned" : "monitors" });
      if (t.balanced) edges.push({ from: input.lb.id, to: name, label: "routes" });
    }
    // Docker's default `bridge` joins unrelated containers: only user-defined networks say "neighbour".
    const nets = Object.keys(byName.get(t.name)?.NetworkSettings?.Networks ?? {}).filter((n) => n !== "bridge");
    for (const c of input.containers) {
      const name = nameOf(c.Names);
      if (seen.has(name) || managed.has(name)) continue;
      const shared = Object.keys(c.NetworkSettings?.Networks ?? {}).filter((n) => nets.includes(n));
      if (shared.length === 0) continue;
      seen.add(name);
      nodes.push({ id: name, type: "unknown", status: c.State, image: c.Image });
      edges.push({ from: t.name, to: name, label: `network ${shared.join(",")}` });
    }
  }
  nodes.push({ id: input.lb.id, type: "loadbalancer", status: input.lb.status, image: input.lb.image });
  return { nodes, edges };
}
