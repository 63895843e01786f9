import type { Config } from "../config/config.js";
import type { Executor } from "../ports/executor.js";
import { assertNever } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import { demoContainer } from "./docker/demo-container.js";
import { demoServices } from "./local/demo-services.js";
import { LocalExecutor } from "./local/local-executor.js";

export interface ExecutorContext {
  logger: Logger;
  dataDir: string;
  /** Where supervised services post alerts (their watchdogs). */
  webhookUrl: string;
  apiKey: string;
}

/**
 * The one place the runtime adapter is chosen from config. The Docker and Kubernetes adapters are
 * loaded only when chosen: their clients (dockerode, @kubernetes/client-node) are ~100 MB of RSS that a
 * server on another runtime never needs (issue #17).
 */
export async function createExecutor(config: Config, ctx: ExecutorContext): Promise<Executor> {
  const kind = config.AEGIS_EXECUTOR;
  switch (kind) {
    case "local":
      return new LocalExecutor({
        services: config.AEGIS_DEMO_APP
          ? demoServices({
              port: config.DEMO_APP_PORT,
              webhookUrl: ctx.webhookUrl,
              apiKey: ctx.apiKey,
              memoryThresholdMb: config.DEMO_MEMORY_THRESHOLD_MB,
            })
          : [],
        lbPort: config.AEGIS_LB_PORT,
        lbHost: config.AEGIS_HOST,
        logger: ctx.logger.child({ component: "executor" }),
        dataDir: ctx.dataDir,
        maxReplicas: config.MAX_REPLICAS,
      });
    case "kubernetes": {
      const { KubernetesExecutor } = await import("./kubernetes/kubernetes-executor.js");
      return new KubernetesExecutor({
        kubeconfig: config.AEGIS_KUBECONFIG,
        namespaces: config.AEGIS_KUBE_NAMESPACES.split(","),
        labelSelector: config.AEGIS_KUBE_LABEL_SELECTOR,
        maxReplicas: config.MAX_REPLICAS,
        rolloutTimeoutMs: config.AEGIS_KUBE_ROLLOUT_TIMEOUT_SECS * 1000,
        logger: ctx.logger.child({ component: "executor" }),
      });
    }
    case "docker": {
      const { DockerExecutor } = await import("./docker/docker-executor.js");
      const webhook = new URL(ctx.webhookUrl);
      return new DockerExecutor({
        socketPath: config.AEGIS_DOCKER_SOCKET,
        network: config.AEGIS_DOCKER_NETWORK,
        targets: config.AEGIS_DOCKER_TARGETS?.split(",") ?? [],
        owned: config.AEGIS_DEMO_APP
          ? [
              demoContainer({
                hostPort: config.DEMO_APP_PORT,
                apiKey: ctx.apiKey,
                memoryThresholdMb: config.DEMO_MEMORY_THRESHOLD_MB,
              }),
            ]
          : [],
        nginx: { binary: config.AEGIS_NGINX_BIN, listenHost: config.AEGIS_HOST, listenPort: config.AEGIS_LB_PORT },
        webhook: {
          host: webhook.hostname.replace(/^\[|\]$/g, ""),
          port: Number(webhook.port || 80),
          path: webhook.pathname,
        },
        dataDir: ctx.dataDir,
        logger: ctx.logger.child({ component: "executor" }),
        maxReplicas: config.MAX_REPLICAS,
      });
    }
    default:
      return assertNever(kind);
  }
}
