import type { IntegrationKind } from "@aegis/contracts";
import type { Notifier, PageDelivery, PageMessage, PageTarget } from "../ports/notifier.js";
import { assertNever } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import type { SendOutcome } from "./channel-outcome.js";
import { sendEmail } from "./email-channel.js";
import type { IntegrationRegistry, OpenedIntegration } from "./integration-registry.js";
import { sendPagerDuty } from "./pagerduty-channel.js";
import { RateGate } from "./rate-gate.js";
import { sendSlack } from "./slack-channel.js";
import { sendTeams } from "./teams-channel.js";
import { sendSignedWebhook } from "./webhook-channel.js";

export interface NotifierSettings {
  maxAttempts: number;
  /** First retry delay; doubles after each failed attempt. A longer `Retry-After` wins. */
  backoffMs: number;
  /** Longest single wait between attempts (a `Retry-After` beyond it is cut to it). */
  maxWaitMs: number;
  timeoutMs: number;
  /** Names this product in PagerDuty's `payload.source`. */
  source: string;
  /** Spacing between two messages to one integration, per kind (Slack: about one per second per channel). */
  minIntervalMs: Partial<Record<IntegrationKind, number>>;
}

export const DEFAULT_MIN_INTERVAL_MS: Partial<Record<IntegrationKind, number>> = { slack: 1000, teams: 250 };

/** A user's contact details the notifier needs (their email, from accounts). */
export interface UserContacts {
  emailOf(projectId: string, userId: string): Promise<string | null>;
}

/** One message to send on one integration, to one recipient. */
interface Route {
  target: PageTarget;
  integration: OpenedIntegration;
  /** Email recipients (a user's own address, or the integration's list). */
  to?: readonly string[];
  /** Slack user id for a direct message. */
  slackUserId?: string | undefined;
}

/**
 * The `Notifier` over the integrations registry. A channel target names an integration (by name or id);
 * a user target reaches that user's email through the project's email integrations and their Slack DM
 * where a Slack integration maps them (`user_map`). Each delivery is logged in the integration's log
 * before its first attempt and updated after each; failures are retried with exponential backoff,
 * honouring `Retry-After` (PagerDuty and Slack answer 429 when rate limited); messages to one
 * integration are spaced by its kind's rate limit.
 */
export class ChannelNotifier implements Notifier {
  private readonly gate = new RateGate();

  constructor(
    private readonly registry: Pick<IntegrationRegistry, "openAll" | "openOne" | "log" | "updateLog">,
    private readonly contacts: UserContacts,
    private readonly settings: NotifierSettings,
    private readonly logger: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((ok) => setTimeout(ok, ms)),
  ) {}

  async notify(projectId: string, targets: PageTarget[], message: PageMessage): Promise<PageDelivery[]> {
    const routes: Route[] = [];
    const unroutable: PageDelivery[] = [];
    for (const target of targets) {
      const found = await this.routesOf(projectId, target);
      if (typeof found === "string") {
        unroutable.push({
          id: "",
          target,
          channel: "none",
          status: "failed",
          attempts: 0,
          error: found,
          at: new Date().toISOString(),
        });
      } else routes.push(...found);
    }
    const delivered = await Promise.all(routes.map((r) => this.deliver(projectId, r, message)));
    return [...unroutable, ...delivered];
  }

  private async routesOf(projectId: string, target: PageTarget): Promise<Route[] | string> {
    switch (target.kind) {
      case "channel": {
        const integration = await this.registry.openOne(projectId, target.channel);
        if (!integration) return `no integration ${target.channel} in this project`;
        if (!integration.row.enabled) return `integration ${target.channel} is disabled`;
        if (!isChannel(integration.kind))
          return `integration ${target.channel} is a ${integration.kind}, which cannot carry pages`;
        return [{ target, integration, ...(integration.kind === "email" ? { to: integration.config.to } : {}) }];
      }
      case "user": {
        const email = await this.contacts.emailOf(projectId, target.userId);
        if (!email) return `user ${target.userId} is not a member of this project`;
        const routes: Route[] = [];
        for (const integration of await this.registry.openAll(projectId, ["email", "slack"])) {
          if (integration.kind === "email") routes.push({ target, integration, to: [email] });
          if (integration.kind === "slack" && integration.config.bot_token) {
            const slackUserId = Object.entries(integration.config.user_map ?? {}).find(([, e]) => e === email)?.[0];
            if (slackUserId) routes.push({ target, integration, slackUserId });
          }
        }
        return routes.length > 0
          ? routes
          : `user ${target.userId} has no contact method (no email or mapped Slack integration)`;
      }
      default:
        return assertNever(target);
    }
  }

  private async deliver(projectId: string, r: Route, m: PageMessage): Promise<PageDelivery> {
    const row = r.integration.row;
    const who = r.slackUserId ? ` to Slack user ${r.slackUserId}` : r.to ? ` to ${r.to.join(", ")}` : "";
    const logId = await this.registry.log(row, {
      event: "delivery",
      level: "info",
      status: "pending",
      message: `${m.kind} "${m.title}"${who}`,
      incidentId: m.incidentId ?? null,
      detail: { target: r.target, kind: m.kind, ...(m.level ? { level: m.level } : {}) },
    });
    let attempts = 0;
    let last: SendOutcome = { ok: false, status: null, error: "not attempted", retryable: false };
    const s = this.settings;
    while (attempts < s.maxAttempts) {
      await this.gate.wait(row.id, s.minIntervalMs[r.integration.kind] ?? 0);
      attempts++;
      const started = performance.now();
      last = await this.send(r, m).catch((err: unknown) => ({
        ok: false,
        status: null,
        error: (err as Error).message,
        retryable: true,
      }));
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      if (last.ok) {
        await this.registry.updateLog(projectId, logId, { status: "sent", attempts, latencyMs, level: "info" });
        return this.delivery(logId, r, "sent", attempts, undefined);
      }
      const final = !last.retryable || attempts >= s.maxAttempts;
      await this.registry.updateLog(projectId, logId, {
        status: final ? "failed" : "retrying",
        level: final ? "error" : "warning",
        attempts,
        latencyMs,
        message: `${m.kind} "${m.title}"${who}: ${last.error}`,
      });
      if (final) break;
      const backoff = s.backoffMs * 2 ** (attempts - 1);
      await this.sleep(Math.min(s.maxWaitMs, Math.max(backoff, last.retryAfterMs ?? 0)));
    }
    this.logger.warn({ integration: row.name, error: last.error, attempts }, "page not delivered");
    return this.delivery(logId, r, "failed", attempts, last.error ?? "failed");
  }

  private send(r: Route, m: PageMessage): Promise<SendOutcome> {
    const timeoutMs = this.settings.timeoutMs;
    const i = r.integration;
    switch (i.kind) {
      case "slack":
        return sendSlack(i.config, m, { timeoutMs, slackUserId: r.slackUserId });
      case "teams":
        return sendTeams(i.config, m, { timeoutMs });
      case "email":
        return sendEmail(i.config, m, { timeoutMs, to: r.to ?? i.config.to });
      case "pagerduty":
        return sendPagerDuty(i.config, m, { timeoutMs, source: this.settings.source });
      case "webhook":
        return sendSignedWebhook(i.config, `page.${m.kind}`, m, { timeoutMs });
      case "prometheus":
      case "grafana":
      case "jira":
        return Promise.resolve({ ok: false, status: null, error: `${i.kind} cannot carry pages`, retryable: false });
      default:
        return assertNever(i);
    }
  }

  private delivery(
    id: string,
    r: Route,
    status: "sent" | "failed",
    attempts: number,
    error: string | undefined,
  ): PageDelivery {
    return { id, target: r.target, channel: r.integration.kind, status, attempts, error, at: new Date().toISOString() };
  }
}

function isChannel(kind: IntegrationKind): boolean {
  return kind === "slack" || kind === "teams" || kind === "email" || kind === "pagerduty" || kind === "webhook";
}
