export { type DemoContainerOptions, demoContainer } from "./demo-container.js";
export { DockerExecutor, replicaName } from "./docker-executor.js";
export type { DockerExecutorOptions, OwnedContainerSpec } from "./docker-executor-options.js";
export { NginxBalancer } from "./nginx-balancer.js";
