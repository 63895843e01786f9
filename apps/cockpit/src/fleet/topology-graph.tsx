import type { Topology } from "@aegis/contracts";
import { Background, type Edge, type Node, ReactFlow } from "@xyflow/react";
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
    <figure style={{ margin: 0 }}>
      <div className="topology">
        {/* Read-only: nothing inside is focusable; the caption says the same in words, for keyboards and readers. */}
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          colorMode={dark ? "dark" : "light"}
          proOptions={{ hideAttribution: true }}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          nodesConnectable={false}
          disableKeyboardA11y
        >
          <Background />
        </ReactFlow>
      </div>
      <figcaption className="small muted">
        {topology.nodes.length} node(s): {topology.nodes.map((n) => `${n.id} (${n.type}, ${n.status})`).join(" · ")}
      </figcaption>
    </figure>
  );
}
