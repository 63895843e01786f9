import type { Config } from "../config/config.js";
import type { TicketSink } from "../ports/ticket-sink.js";
import type { Logger } from "../shared/logger.js";
import { AccountStore } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import { IncidentStore } from "../store/incident-store.js";
import { IntegrationStore } from "../store/integration-store.js";
import { ChannelNotifier, DEFAULT_MIN_INTERVAL_MS } from "./channel-notifier.js";
import { type ApprovalDecider, ChatApprovals } from "./chat-approvals.js";
import { IntegrationRegistry } from "./integration-registry.js";
import { JiraTicketSink } from "./jira-ticket-sink.js";
import { MemberContacts } from "./member-contacts.js";
import { parseSecretsKey, SecretBox } from "./secret-box.js";

/** A 429's `Retry-After` longer than this is cut to it: a page waits at most a minute between attempts. */
const MAX_WAIT_MS = 60_000;

/**
 * The integrations registry, the `Notifier` over its channels, and approve-from-chat, from parsed
 * config. `secretsKey` is the current sealing key (configured or from the data dir).
 */
export function createPaging(
  config: Config,
  deps: { database: Database; logger: Logger; secretsKey: Buffer; publicUrl: string; decider: ApprovalDecider },
): {
  registry: IntegrationRegistry;
  notifier: ChannelNotifier;
  chat: ChatApprovals;
  ticketSinkOf: (projectId: string) => Promise<TicketSink | null>;
} {
  const previous = (config.AEGIS_SECRETS_PREVIOUS_KEYS ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => parseSecretsKey(k, "AEGIS_SECRETS_PREVIOUS_KEYS"));
  const box = new SecretBox(deps.secretsKey, previous);
  const registry = new IntegrationRegistry(deps.database, new IntegrationStore(), box, config.AEGIS_NOTIFY_TIMEOUT_MS);
  const accounts = new AccountStore();
  const notifier = new ChannelNotifier(
    registry,
    new MemberContacts(deps.database, accounts),
    {
      maxAttempts: config.AEGIS_NOTIFY_MAX_ATTEMPTS,
      backoffMs: config.AEGIS_NOTIFY_BACKOFF_MS,
      maxWaitMs: MAX_WAIT_MS,
      timeoutMs: config.AEGIS_NOTIFY_TIMEOUT_MS,
      source: deps.publicUrl,
      minIntervalMs: DEFAULT_MIN_INTERVAL_MS,
    },
    deps.logger,
  );
  const chat = new ChatApprovals({
    database: deps.database,
    registry,
    notifier,
    accounts,
    incidents: new IncidentStore(),
    decider: deps.decider,
    logger: deps.logger,
    publicUrl: deps.publicUrl,
    timeoutMs: config.AEGIS_NOTIFY_TIMEOUT_MS,
  });
  // A project's enabled `jira` integration files its tickets.
  const ticketSinkOf = async (projectId: string): Promise<TicketSink | null> => {
    const jira = (await registry.openAll(projectId, ["jira"]))[0];
    if (jira?.kind !== "jira") return null;
    const c = jira.config;
    return new JiraTicketSink({
      baseUrl: c.base_url,
      email: c.email,
      apiToken: c.api_token,
      projectKey: c.project_key,
      issueType: c.issue_type,
      timeoutMs: config.AEGIS_NOTIFY_TIMEOUT_MS,
    });
  };
  return { registry, notifier, chat, ticketSinkOf };
}
