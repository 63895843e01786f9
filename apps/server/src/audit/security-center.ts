import type { SecurityEvents } from "../ports/security-events.js";
import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import { AccessLogWriter } from "./access-log-writer.js";
import { ApiKeyWatch } from "./api-key-watch.js";
import { AuditLog } from "./audit-log.js";
import { type ComplianceFacts, ComplianceReporter } from "./compliance-report.js";
import { SecurityEventLog } from "./security-event-log.js";

/** The security and audit services (ADR 0016), wired once at start-up. */
export interface SecurityCenter {
  audit: AuditLog;
  events: SecurityEventLog & SecurityEvents;
  access: AccessLogWriter;
  keys: ApiKeyWatch;
  compliance: ComplianceReporter;
  start(): void;
  stop(): Promise<void>;
}

export function createSecurityCenter(
  database: Database,
  logger: Logger,
  facts: ComplianceFacts,
  opts: { securityEventRetentionDays: number },
): SecurityCenter {
  const log = logger.child({ component: "security" });
  const audit = new AuditLog(database, log);
  const events = new SecurityEventLog(database, log);
  const access = new AccessLogWriter(database, log, { retentionDays: facts.accessLogRetentionDays });
  let pruner: NodeJS.Timeout | null = null;
  return {
    audit,
    events,
    access,
    keys: new ApiKeyWatch(database, events, log),
    compliance: new ComplianceReporter(database, audit, facts),
    start() {
      access.start();
      const prune = () =>
        events
          .prune(new Date(Date.now() - opts.securityEventRetentionDays * 86_400_000))
          .catch((err) => log.warn({ err }, "security event pruning failed"));
      pruner = setInterval(prune, 3_600_000);
      pruner.unref();
    },
    async stop() {
      if (pruner) clearInterval(pruner);
      await access.stop();
      await Promise.all([events.flush(), audit.flush()]);
    },
  };
}
