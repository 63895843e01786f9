import { connect, createServer, type Server, type Socket } from "node:net";

export interface RoundTripCounter {
  /** The port on 127.0.0.1 to connect to instead of the target. */
  port: number;
  /** Client flights since the last reset: runs of client bytes with no server answer delivered between them. */
  flights(): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target` (a URL's host and port) that counts round trips as the client makes them: a flight is
 * what the client sends before it has been answered. Answers are held back `answerDelayMs`, so that
 * everything a client sends without waiting (a pipelined batch) lands in one flight, while a client that
 * waits for each answer starts a new flight per statement. Counts events, not durations.
 */
export async function startRoundTripCounter(
  target: { host: string; port: number },
  answerDelayMs = 40,
): Promise<RoundTripCounter> {
  let flights = 0;
  let answeredSinceLastSend = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.on("data", (chunk) => {
      if (answeredSinceLastSend) flights++;
      answeredSinceLastSend = false;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      setTimeout(() => {
        answeredSinceLastSend = true;
        if (!client.destroyed) client.write(chunk);
      }, answerDelayMs);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    flights: () => flights,
    reset: () => {
      flights = 0;
      answeredSinceLastSend = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
