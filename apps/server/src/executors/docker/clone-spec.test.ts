import type Docker from "dockerode";
import { expect, it } from "vitest";
import { cloneSpec } from "./clone-spec.js";

const src = {
  Id: "0123456789abcdef0123",
  Name: "/buggy-app-v2",
  Config: {
    Image: "aegisops/buggy-app:v2",
    Cmd: ["/usr/local/bin/node", "/app/dist/main.js"],
    Env: ["APP_NAME=buggy-app-v2", "WATCHDOG_MEMORY_MB=200", "PORT=8000", "APP_VERSION=v2"],
    ExposedPorts: { "8000/tcp": {} },
    Labels: { "aegis.managed-by": "aegisops" },
    WorkingDir: "/app",
    User: "",
    Entrypoint: null,
  },
  HostConfig: {
    NetworkMode: "aegis",
    PortBindings: { "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "8000" }] },
    Memory: 268435456,
  },
  NetworkSettings: {
    Networks: { aegis: { Aliases: ["0123456789ab", "buggy-app-v2", "app"], IPAddress: "172.18.0.2" } },
  },
} as unknown as Docker.ContainerInspectInfo;

it("a replica copies image, command, env, limits and network, with its own name and no host port", () => {
  const spec = cloneSpec(src, {
    name: "buggy-app-v2-replica-1",
    env: { APP_NAME: "buggy-app-v2-replica-1" },
    labels: { "aegis.replica-of": "buggy-app-v2" },
    dropHostPorts: true,
  });
  expect(spec.name).toBe("buggy-app-v2-replica-1");
  expect(spec.Image).toBe("aegisops/buggy-app:v2");
  expect(spec.Cmd).toEqual(["/usr/local/bin/node", "/app/dist/main.js"]);
  expect(spec.Env).toEqual([
    "APP_NAME=buggy-app-v2-replica-1",
    "WATCHDOG_MEMORY_MB=200",
    "PORT=8000",
    "APP_VERSION=v2",
  ]);
  expect(spec.HostConfig).toMatchObject({ NetworkMode: "aegis", PortBindings: {}, Memory: 268435456 });
  expect(spec.Labels).toEqual({ "aegis.managed-by": "aegisops", "aegis.replica-of": "buggy-app-v2" });
  // Only the alias a user gave is copied: the engine's own (short id, name) belong to the original.
  expect(spec.NetworkingConfig).toEqual({ EndpointsConfig: { aegis: { Aliases: ["app"] } } });
  // The source is untouched.
  expect(src.HostConfig.PortBindings).toEqual({ "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "8000" }] });
});

it("a rollback swaps the image and lets the new image's ENV replace the old image's", () => {
  const spec = cloneSpec(src, {
    name: "buggy-app-v2",
    image: { ref: "aegisops/buggy-app:v1", oldImageEnv: ["PORT=8000", "APP_VERSION=v2"] },
  });
  expect(spec.Image).toBe("aegisops/buggy-app:v1");
  expect(spec.Env).toEqual(["APP_NAME=buggy-app-v2", "WATCHDOG_MEMORY_MB=200"]);
  expect(spec.HostConfig?.PortBindings).toEqual({ "8000/tcp": [{ HostIp: "127.0.0.1", HostPort: "8000" }] });
});
