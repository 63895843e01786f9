import type { Topology } from "@aegis/contracts";
import { Background, Controls, type Edge, type Node, ReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import { layoutTopology, NODE_W, statusColour } from "./topology-layout.js";

/** The running topology as a laid-out graph, each node coloured (and labelled) by its status. */
export function TopologyGraph({ topology, dark }: { topology: Topology; dark: boolean }) {
  const { nodes, edges } = useMemo(() => {
    const placed = layoutTopology(topology);
    const nodes: Node[] = placed.nodes.map((n) => ({
      id: n.id,
      position: { x: n.x, y: n.y },
      data: {
        label: (
          <span data-node={n.id} data-status={n.status}>
            <strong>{n.id}</strong>
            <br />
            <span style={{ fontSize: 11 }}>
              {n.type} · {n.status}
            </span>
          </span>
        ),
      },
      style: {
        width: NODE_W,
        border: `3px solid ${statusColour(n.status)}`,
        background: dark ? "#171b22" : "#ffffff",
        color: dark ? "#e7eaf0" : "#16181d",
        fontSize: 12,
      },
      draggable: false,
      connectable: false,
    }));
    const edges: Edge[] = placed.edges.map((e) => ({
      id: `${e.from}->${e.to}`,
      source: e.from,
      target: e.to,
      label: e.label,
    }));
    return { nodes, edges };
  }, [topology, dark]);
  return (
    <div
      className="topology"
      role="img"
      aria-label={`Topology: ${topology.nodes.map((n) => `${n.id} ${n.status}`).join(", ")}`}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        colorMode={dark ? "dark" : "light"}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
