import { existsSync } from "node:fs";
import Docker from "dockerode";

/**
 * Whether the Docker engine and nginx are here. Tests skip without them, except in CI
 * (`AEGIS_REQUIRE_POSTGRES=1`: everything required), where their absence fails the run.
 */
export async function dockerAvailable(
  socketPath = "/var/run/docker.sock",
  nginx = "/usr/sbin/nginx",
): Promise<boolean> {
  let why: string | null = null;
  if (!existsSync(nginx)) why = `nginx not found at ${nginx}`;
  else {
    try {
      await new Docker({ socketPath }).ping();
    } catch (err) {
      why = `Docker engine not reachable at ${socketPath}: ${(err as Error).message}`;
    }
  }
  if (why && process.env.AEGIS_REQUIRE_POSTGRES === "1") throw new Error(`required for this test: ${why}`);
  return why === null;
}

/** Remove every container, then every network, carrying all the given labels. */
export async function removeLabelled(docker: Docker, labels: Record<string, string>): Promise<void> {
  const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  for (const c of await docker.listContainers({ all: true, filters: { label } })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters: { label } })) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  }
}
