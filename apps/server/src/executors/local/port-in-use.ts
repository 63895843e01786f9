import { connect } from "node:net";

/** Whether something already accepts TCP connections on host:port. */
export function portInUse(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Whether the port is still in use after waiting up to `graceMs` for it to free up. A server restarted
 * right after it was killed finds its previous demo app still listening for up to a second: the app
 * exits on its own once it sees it was orphaned (`apps/buggy-app`, checked every second).
 */
export async function portStillInUse(host: string, port: number, graceMs: number): Promise<boolean> {
  const end = Date.now() + graceMs;
  while (await portInUse(host, port)) {
    if (Date.now() >= end) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
