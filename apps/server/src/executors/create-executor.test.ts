import { expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config/config.js";
import { createLogger } from "../shared/logger.js";
import { createExecutor } from "./create-executor.js";

const ctx = {
  logger: createLogger("silent"),
  dataDir: "/tmp/aegis-unused",
  webhookUrl: "http://127.0.0.1:8001/webhook",
  apiKey: "k",
};

it("AEGIS_EXECUTOR=docker chooses the Docker executor with the demo container and any named targets", async () => {
  const ex = await createExecutor(loadConfig({ AEGIS_EXECUTOR: "docker", AEGIS_DOCKER_TARGETS: "api,worker_1" }), ctx);
  expect(ex.kind).toBe("docker");
  expect(ex.targets()).toEqual(["buggy-app-v2", "api", "worker_1"]);
  expect(ex.has("buggy-app-v2-replica-1")).toBe(false);
  expect((await createExecutor(loadConfig({}), ctx)).kind).toBe("local");
});

it("bad Docker settings stop start-up naming the variable", () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      return (err as ConfigError).problems.map((p) => p.variable);
    }
    return [];
  };
  expect(problems({ AEGIS_EXECUTOR: "podman" })).toEqual(["AEGIS_EXECUTOR"]);
  expect(problems({ AEGIS_DOCKER_TARGETS: "api,bad name" })).toEqual(["AEGIS_DOCKER_TARGETS"]);
  expect(problems({ AEGIS_DOCKER_NETWORK: "-x" })).toEqual(["AEGIS_DOCKER_NETWORK"]);
  expect(() => loadConfig({ AEGIS_DOCKER_TARGETS: "a,,b" })).toThrow(ConfigError);
});
