export { type DemoServiceOptions, demoServices } from "./demo-services.js";
export { freePort } from "./free-port.js";
export { LoadBalancer } from "./load-balancer.js";
export { LocalExecutor, replicaName } from "./local-executor.js";
export type { ExecutorLogger, LocalExecutorOptions, ServiceSpec } from "./local-executor-options.js";
