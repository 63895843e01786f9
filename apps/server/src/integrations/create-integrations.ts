import type { Config } from "../config/config.js";
import type { Executor } from "../ports/executor.js";
import type { TicketSink } from "../ports/ticket-sink.js";
import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import { TicketStore } from "../store/ticket-store.js";
import { WebhookStore } from "../store/webhook-store.js";
import { DependencyHealth } from "./dependency-health.js";
import { JiraTicketSink } from "./jira-ticket-sink.js";
import { TicketService } from "./ticket-service.js";
import { WebhookService } from "./webhook-service.js";

/** Jira gets as long as a webhook receiver: both are one outbound call inside a client's request or a retry. */
const JIRA_TIMEOUT_MS = 10_000;

/** Seed 001's integrations: tickets (with Jira when configured), outbound webhooks, dependency health. */
export function createIntegrations(
  config: Config,
  deps: {
    database: Database;
    executor: Pick<Executor, "kind" | "containers">;
    logger: Logger;
    publicUrl: string;
    /** A project's own ticket sink (from the integrations registry), preferred over the `JIRA_*` one. */
    ticketSinkOf?: (projectId: string) => Promise<TicketSink | null>;
  },
): { tickets: TicketService; webhooks: WebhookService; dependencyHealth: DependencyHealth } {
  const c = config;
  const jira =
    c.JIRA_BASE_URL && c.JIRA_EMAIL && c.JIRA_API_TOKEN && c.JIRA_PROJECT_KEY
      ? new JiraTicketSink({
          baseUrl: c.JIRA_BASE_URL,
          email: c.JIRA_EMAIL,
          apiToken: c.JIRA_API_TOKEN,
          projectKey: c.JIRA_PROJECT_KEY,
          issueType: c.JIRA_ISSUE_TYPE,
          timeoutMs: JIRA_TIMEOUT_MS,
        })
      : null;
  return {
    tickets: new TicketService(
      deps.database,
      new TicketStore(),
      jira,
      (c.AEGIS_PUBLIC_URL ?? deps.publicUrl).replace(/\/+$/, ""),
      deps.ticketSinkOf,
    ),
    webhooks: new WebhookService(
      deps.database,
      new WebhookStore(),
      {
        maxAttempts: c.AEGIS_WEBHOOK_MAX_ATTEMPTS,
        backoffMs: c.AEGIS_WEBHOOK_BACKOFF_MS,
        timeoutMs: c.AEGIS_WEBHOOK_TIMEOUT_MS,
      },
      deps.logger,
    ),
    dependencyHealth: new DependencyHealth(deps.database, deps.executor, c),
  };
}
