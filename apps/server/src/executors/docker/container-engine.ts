import type Docker from "dockerode";
import { UpstreamError } from "../../shared/errors.js";
import { LABEL } from "./clone-spec.js";

type Inspect = Docker.ContainerInspectInfo;

/** The Engine API calls the executor builds on, with failures turned into reasons an incident can show. */
export class ContainerEngine {
  constructor(
    private readonly docker: Docker,
    /** The network whose address is a container's address. */
    private readonly network: string,
  ) {}

  /** The container's state, or null when the engine has no such container. */
  async inspect(idOrName: string): Promise<Inspect | null> {
    try {
      return await this.docker.getContainer(idOrName).inspect();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null;
      throw new UpstreamError(`Docker engine: inspect of ${idOrName} failed: ${errorText(err)}`, "docker_error");
    }
  }

  async mustInspect(name: string, action = "start"): Promise<Inspect> {
    const info = await this.inspect(name);
    if (!info) {
      throw new UpstreamError(`container ${name} does not exist on the Docker engine (${action})`, "container_gone");
    }
    return info;
  }

  /** Remove (killing it if running); a container already gone is fine. */
  async remove(idOrName: string): Promise<void> {
    await this.docker
      .getContainer(idOrName)
      .remove({ force: true })
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404) throw err;
      });
  }

  /** Where the container serves HTTP: its address on the network, its `aegis.port` label or first exposed port. */
  addressOf(info: Inspect): { host: string; port: number } | null {
    const nets = info.NetworkSettings.Networks ?? {};
    const ip = nets[this.network]?.IPAddress || Object.values(nets).find((n) => n.IPAddress)?.IPAddress;
    const label = Number(info.Config.Labels?.[LABEL.port]);
    const exposed = Object.keys(info.Config.ExposedPorts ?? {}).find((p) => p.endsWith("/tcp"));
    const port = Number.isInteger(label) && label > 0 ? label : exposed ? Number.parseInt(exposed, 10) : Number.NaN;
    return ip && Number.isInteger(port) ? { host: ip, port } : null;
  }

  /**
   * Until the container answers its health check: fails at once, with the engine's reason, when the
   * container exits or disappears meanwhile.
   */
  async waitReady(name: string, action: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last = "no probe yet";
    for (;;) {
      const info = await this.inspect(name);
      if (!info) throw new UpstreamError(`container ${name} was removed during ${action}`, "container_gone");
      if (!info.State.Running && !info.State.Restarting && info.State.Status !== "created") {
        throw new UpstreamError(`${stateText(name, info)} during ${action}`, "container_died");
      }
      const addr = info.State.Running ? this.addressOf(info) : null;
      if (addr) {
        try {
          const res = await fetch(`http://${addr.host}:${addr.port}${healthPathOf(info)}`, {
            signal: AbortSignal.timeout(2000),
          });
          await res.arrayBuffer();
          if (res.status >= 200 && res.status < 300) return;
          last = `HTTP ${res.status}`;
        } catch (err) {
          last = errorText(err);
        }
      }
      if (Date.now() > end) {
        throw new UpstreamError(`container ${name} not healthy ${timeoutMs} ms after ${action}: ${last}`, "not_ready");
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** An engine call failed: say whether the container itself went away meanwhile, with the engine's words. */
  async failure(name: string, action: string, err: unknown): Promise<UpstreamError> {
    const gone = (err as { statusCode?: number }).statusCode === 404 || (await this.goneWithin(name, 2000));
    const cause = errorText(err)
      .replace(/^\(HTTP code \d+\) /, "")
      .trim();
    if (gone) {
      return new UpstreamError(`container ${name} was removed during ${action} (engine: ${cause})`, "container_gone");
    }
    return new UpstreamError(`Docker engine refused ${action} of ${name}: ${cause}`, "docker_error");
  }

  /** Whether the container is (or, being removed, soon is) gone from the engine. */
  private async goneWithin(name: string, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    for (;;) {
      const info = await this.inspect(name).catch(() => undefined);
      if (info === null) return true;
      if (info === undefined || info.State.Running || Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function nameOf(names: string[]): string {
  return (names[0] ?? "").replace(/^\//, "");
}

export function healthPathOf(info: Inspect, fallback = "/health"): string {
  return info.Config.Labels?.[LABEL.healthPath] ?? fallback;
}

/** "container x is exited (exit code 137, OOM killed)". */
export function stateText(name: string, info: Inspect): string {
  const s = info.State;
  const why = [`exit code ${s.ExitCode}`, s.OOMKilled ? "OOM killed" : "", s.Error ? `error: ${s.Error}` : ""];
  return `container ${name} is ${s.Status} (${why.filter(Boolean).join(", ")})`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
