import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { injectApp, KEY } from "../api/test-inject-app.js";
import { AuditLog } from "../audit/audit-log.js";
import { createSecurityCenter } from "../audit/security-center.js";
import type { AuditEntry } from "../ports/audit-trail.js";
import { createLogger } from "../shared/logger.js";
import { freshDatabase } from "../testing/test-databases.js";
import { rssMb } from "./stats.js";

const entry = (i: number): AuditEntry => ({
  projectId: "default",
  actor: { kind: "user", id: `user-${i % 50}`, name: `User ${i % 50}`, role: "admin" },
  action: i % 5 === 0 ? "remediation.executed" : "http.update",
  resourceType: i % 5 === 0 ? "target" : "/api/v1/incidents/:id",
  resourceId: `inc-${i}`,
  outcome: i % 17 === 0 ? "failure" : "success",
  statusCode: i % 17 === 0 ? 409 : 200,
  before: i % 5 === 0 ? { replicas: 2 } : null,
  after: { title: `Checkout latency ${i}`, severity: "high", note: "updated, with a comma" },
  ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
  userAgent: "aegis-cli/2.0",
  requestId: `req-${i}`,
  at: new Date(Date.UTC(2026, 10, 1) + i * 1000),
});

/**
 * Size and time of `GET /api/v1/security/audit-logs/export?format=csv&delivery=file` over real HTTP with `rows` audit
 * entries (one hash chain), read as a stream by the client; plus the load and a full chain verification.
 */
export async function auditExportBench(kind: "pglite" | "postgres", rows: number) {
  const t = await freshDatabase(kind);
  const logger = createLogger("silent");
  try {
    const audit = new AuditLog(t.database, logger);
    const t0 = performance.now();
    for (let i = 0; i < rows; i += 5000) {
      await audit.recordMany(
        "default",
        Array.from({ length: Math.min(5000, rows - i) }, (_, k) => entry(i + k)),
      );
    }
    const loadSecs = (performance.now() - t0) / 1000;
    const center = createSecurityCenter(
      t.database,
      logger,
      {
        passwordKdf: { algorithm: "argon2id", memoryKiB: 19 * 1024, timeCost: 2, parallelism: 1 },
        apiKeysOf: async () => [],
        secretFiles: [],
        tls: { enabled: false, evidence: "bench" },
        loginThrottle: { perAccount: 5, perIp: 20, windowMs: 900_000 },
        accessLogRetentionDays: 30,
      },
      { securityEventRetentionDays: 30 },
    );
    const app = await injectApp({ security: { ...center, operatorProjectId: "default" } });
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/security/audit-logs/export?format=csv&delivery=file`;
      const rssBefore = rssMb(process.pid);
      let peakRss = rssBefore;
      const started = performance.now();
      const res = await fetch(url, { headers: { "x-api-key": KEY } });
      if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
      let bytes = 0;
      let newlines = 0;
      let firstByteMs: number | null = null;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        firstByteMs ??= performance.now() - started;
        bytes += chunk.byteLength;
        for (const b of chunk) if (b === 10) newlines++;
        peakRss = Math.max(peakRss, rssMb(process.pid));
      }
      const exportSecs = (performance.now() - started) / 1000;
      const v0 = performance.now();
      const verified = await audit.verify("default");
      const verifySecs = (performance.now() - v0) / 1000;
      if (newlines !== rows + 1) throw new Error(`export has ${newlines} lines, expected ${rows + 1}`);
      return {
        rows,
        load_seconds: Math.round(loadSecs * 100) / 100,
        export: {
          bytes,
          megabytes: Math.round((bytes / 1024 / 1024) * 100) / 100,
          seconds: Math.round(exportSecs * 100) / 100,
          rows_per_second: Math.round(rows / exportSecs),
          first_byte_ms: Math.round((firstByteMs ?? 0) * 10) / 10,
          rss_before_mb: rssBefore,
          rss_peak_mb: peakRss,
        },
        verify: {
          valid: verified.valid,
          rows_checked: verified.rows_checked,
          seconds: Math.round(verifySecs * 100) / 100,
        },
      };
    } finally {
      await app.close();
      await center.stop();
    }
  } finally {
    await t.cleanup();
  }
}
