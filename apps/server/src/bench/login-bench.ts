import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { createAccounts } from "../accounts/create-accounts.js";
import { KDF } from "../accounts/password-hasher.js";
import type { Authenticator } from "../ports/identity.js";
import { freshDatabase } from "../testing/test-databases.js";
import { summary } from "./stats.js";

const none: Authenticator = { authenticate: async () => null };

/**
 * Logins per second through the whole sign-in use case (argon2id verify, user and membership reads,
 * refresh-token insert, JWT signing) on embedded PGlite: one at a time, and `concurrency` in flight.
 * The KDF dominates by design; this is the ceiling a brute-forcer with the database would also face.
 */
export async function loginBench(secs: number, concurrency = availableParallelism()) {
  const tmp = await freshDatabase("pglite");
  try {
    const { auth } = createAccounts(tmp.database, "bench-jwt-secret-0123456789abcdef-0123", none);
    const password = "bench-password-123";
    await auth.register({ email: "bench@example.com", password, fullName: "Bench", tenantName: "Bench" });
    // Distinct client addresses per worker: the per-IP throttle counts failures only, but keep it out of the way.
    const run = async (inFlight: number) => {
      const latencies: number[] = [];
      const until = performance.now() + secs * 1000;
      const worker = async (w: number) => {
        while (performance.now() < until) {
          const t0 = performance.now();
          await auth.login("bench@example.com", password, `10.0.0.${w}`);
          latencies.push(performance.now() - t0);
        }
      };
      const t0 = performance.now();
      await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
      const elapsed = (performance.now() - t0) / 1000;
      return {
        in_flight: inFlight,
        logins: latencies.length,
        logins_per_s: Math.round((latencies.length / elapsed) * 10) / 10,
        latency_ms: summary(latencies),
      };
    };
    return {
      kdf: {
        algorithm: "argon2id",
        memory_kib: KDF.memoryCost,
        iterations: KDF.timeCost,
        parallelism: KDF.parallelism,
      },
      cores: availableParallelism(),
      sequential: await run(1),
      concurrent: await run(concurrency),
    };
  } finally {
    await tmp.cleanup();
  }
}
