import { Topology } from "@aegis/contracts";
import type Docker from "dockerode";
import { expect, it } from "vitest";
import { dockerTopology } from "./docker-topology.js";

const container = (name: string, state: string, networks: string[]) =>
  ({
    Names: [`/${name}`],
    State: state,
    Image: `img/${name}`,
    NetworkSettings: { Networks: Object.fromEntries(networks.map((n) => [n, {}])) },
  }) as unknown as Docker.ContainerInfo;

it("targets, replicas, the balancer's routes and neighbours on the target's own networks", () => {
  const topo = dockerTopology({
    containers: [
      container("buggy-app-v2", "running", ["aegis"]),
      container("buggy-app-v2-replica-1", "running", ["aegis"]),
      container("redis", "running", ["aegis", "bridge"]),
      container("unrelated", "running", ["bridge"]),
    ],
    targets: [{ name: "buggy-app-v2", replicas: ["buggy-app-v2-replica-1"], balanced: true }],
    agent: { id: "aegis-agent", image: "a" },
    lb: { id: "aegis-lb", status: "running", image: "nginx" },
  });
  expect(Topology.parse(topo)).toEqual(topo);
  expect(topo.nodes.map((n) => [n.id, n.type])).toEqual([
    ["aegis-agent", "agent"],
    ["buggy-app-v2", "app"],
    ["buggy-app-v2-replica-1", "replica"],
    ["redis", "unknown"],
    ["aegis-lb", "loadbalancer"],
  ]);
  expect(topo.edges).toEqual([
    { from: "aegis-agent", to: "buggy-app-v2", label: "monitors" },
    { from: "aegis-lb", to: "buggy-app-v2", label: "routes" },
    { from: "aegis-agent", to: "buggy-app-v2-replica-1", label: "spawned" },
    { from: "aegis-lb", to: "buggy-app-v2-replica-1", label: "routes" },
    { from: "buggy-app-v2", to: "redis", label: "network aegis" },
  ]);
});

it("a target the engine no longer has shows as missing", () => {
  const topo = dockerTopology({
    containers: [],
    targets: [{ name: "api", replicas: [], balanced: false }],
    agent: { id: "aegis-agent", image: "a" },
    lb: { id: "aegis-lb", status: "exited", image: "nginx" },
  });
  expect(topo.nodes[1]).toEqual({ id: "api", type: "app", status: "missing", image: "" });
  expect(topo.edges).toEqual([{ from: "aegis-agent", to: "api", label: "monitors" }]);
});
