import type { Topology } from "@aegis/contracts";
import dagre from "@dagrejs/dagre";

export interface PlacedNode {
  id: string;
  type: string;
  status: string;
  image: string;
  x: number;
  y: number;
}

export const NODE_W = 180;
export const NODE_H = 56;

/** Positions for the topology's nodes: a left-to-right layered layout (dagre). */
export function layoutTopology(t: Topology): { nodes: PlacedNode[]; edges: Topology["edges"] } {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(t.nodes.map((n) => n.id));
  for (const n of t.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  const edges = t.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  for (const e of edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  return {
    nodes: t.nodes.map((n) => {
      const p = g.node(n.id);
      return { ...n, x: (p?.x ?? 0) - NODE_W / 2, y: (p?.y ?? 0) - NODE_H / 2 };
    }),
    edges,
  };
}

/** A status's colour on the graph (the status is also written in the node). */
export function statusColour(status: string): string {
  const s = status.toLowerCase();
  if (["running", "healthy", "up", "active"].includes(s)) return "#16a34a";
  if (["exited", "dead", "failed", "down", "unhealthy"].includes(s)) return "#dc2626";
  return "#d97706";
}
