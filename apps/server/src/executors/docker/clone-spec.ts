import type Docker from "dockerode";

export const LABEL = {
  managedBy: "aegis.managed-by",
  demo: "aegis.demo",
  port: "aegis.port",
  healthPath: "aegis.health-path",
  replicaOf: "aegis.replica-of",
  replicaIndex: "aegis.replica-index",
} as const;

export interface CloneChanges {
  name: string;
  /** Another image (rollback); its own ENV then replaces the old image's. */
  image?: { ref: string; oldImageEnv: string[] };
  /** Env values set (or replaced) in the copy. */
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** A replica publishes no host ports (only the balancer reaches it, on the network). */
  dropHostPorts?: boolean;
}

/**
 * Create options for a container made from another's recorded configuration: same image (or the
 * given one), command, env, labels, limits, restart policy and networks with their aliases.
 */
export function cloneSpec(src: Docker.ContainerInspectInfo, change: CloneChanges): Docker.ContainerCreateOptions {
  const imageEnv = new Set(change.image?.oldImageEnv ?? []);
  // The image's own ENV is merged into Config.Env by the engine: drop it when the image changes.
  const env = (src.Config.Env ?? []).filter((e) => !imageEnv.has(e));
  for (const [k, v] of Object.entries(change.env ?? {})) {
    const i = env.findIndex((e) => e.startsWith(`${k}=`));
    if (i >= 0) env[i] = `${k}=${v}`;
    else env.push(`${k}=${v}`);
  }
  const host = { ...src.HostConfig } as Docker.HostConfig;
  if (change.dropHostPorts) host.PortBindings = {};
  const endpoints: Record<string, Docker.EndpointSettings> = {};
  for (const [net, ep] of Object.entries(src.NetworkSettings.Networks ?? {})) {
    // The engine adds the short id as an alias of its own; copy only the aliases the user gave.
    const aliases = (ep.Aliases ?? []).filter(
      (a: string) => !src.Id.startsWith(a) && a !== src.Name.replace(/^\//, ""),
    );
    endpoints[net] = aliases.length > 0 ? { Aliases: aliases } : {};
  }
  return {
    name: change.name,
    Image: change.image?.ref ?? src.Config.Image,
    Cmd: src.Config.Cmd ?? undefined,
    Entrypoint: src.Config.Entrypoint ?? undefined,
    WorkingDir: src.Config.WorkingDir || undefined,
    Env: env,
    ExposedPorts: src.Config.ExposedPorts,
    Labels: { ...(src.Config.Labels ?? {}), ...(change.labels ?? {}) },
    User: src.Config.User || undefined,
    HostConfig: host,
    NetworkingConfig: { EndpointsConfig: endpoints },
  };
}
