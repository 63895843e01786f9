import type { IntegrationKind, KindConfig } from "@aegis/contracts";
import { assertNever } from "../shared/errors.js";
import { reasonOf, type SendOutcome } from "./channel-outcome.js";
import { smtpFailure, smtpTransport } from "./email-channel.js";
import { sendPagerDuty } from "./pagerduty-channel.js";
import { sendSlack, slackApi } from "./slack-channel.js";
import { sendTeams } from "./teams-channel.js";
import { sendSignedWebhook } from "./webhook-channel.js";

/** A connection test: whether the system answered as it should, how fast, and what it said. */
export interface ProbeResult {
  ok: boolean;
  latencyMs: number | null;
  detail: string;
  error: string | null;
}

/** Any kind's config, as its schema parsed it. */
export type AnyKindConfig = { [K in IntegrationKind]: { kind: K; config: KindConfig<K> } }[IntegrationKind];

const TEST_PAGE = {
  kind: "info" as const,
  title: "AegisOps connection test",
  body: "This channel is connected to AegisOps. No action is needed.",
};

/**
 * Really reaches the system: Prometheus `GET /api/v1/query?query=up`, Grafana `GET /api/health`, Slack
 * `auth.test` (or a test message through the incoming webhook), Teams a test card, SMTP EHLO (+AUTH),
 * PagerDuty an `acknowledge` of a dedup key that names no alert (accepted, changes nothing), a signed
 * `ping` webhook, Jira `GET /rest/api/3/myself`.
 */
export async function probeIntegration(c: AnyKindConfig, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const done = (ok: boolean, detail: string, error: string | null): ProbeResult => ({
    ok,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    detail,
    error,
  });
  const fromSend = (o: SendOutcome, what: string) =>
    o.ok ? done(true, `${what}: HTTP ${o.status}`, null) : done(false, what, o.error);
  try {
    switch (c.kind) {
      case "prometheus": {
        const j = await getJson(
          `${base(c.config.url)}/api/v1/query?query=up`,
          bearer(c.config.bearer_token),
          timeoutMs,
        );
        const result = (j as { status?: string; data?: { result?: { value?: [number, string] }[] } }).data?.result;
        if ((j as { status?: string }).status !== "success" || !Array.isArray(result)) {
          return done(false, "query up", "answer is not a Prometheus query result");
        }
        const up = result.filter((r) => r.value?.[1] === "1").length;
        return done(true, `query up: ${result.length} targets, ${up} up`, null);
      }
      case "grafana": {
        const j = (await getJson(`${base(c.config.url)}/api/health`, bearer(c.config.api_token), timeoutMs)) as {
          database?: string;
          version?: string;
        };
        if (j.database !== "ok") return done(false, "health", `database: ${j.database ?? "unknown"}`);
        return done(true, `Grafana ${j.version ?? "?"}, database ok`, null);
      }
      case "slack": {
        if (c.config.bot_token) {
          const o = await slackApi(c.config, "auth.test", {}, timeoutMs);
          if (!o.ok) return done(false, "auth.test", o.error);
          return done(true, `auth.test: team ${String(o.json?.team)}, bot ${String(o.json?.user)}`, null);
        }
        return fromSend(await sendSlack(c.config, TEST_PAGE, { timeoutMs }), "test message via incoming webhook");
      }
      case "teams":
        return fromSend(await sendTeams(c.config, TEST_PAGE, { timeoutMs }), "test card via incoming webhook");
      case "email": {
        const transport = await smtpTransport(c.config, timeoutMs);
        try {
          await transport.verify();
          return done(
            true,
            `SMTP ${c.config.host}:${c.config.port} accepted EHLO${c.config.username ? " and AUTH" : ""}`,
            null,
          );
        } catch (err) {
          return done(false, "SMTP EHLO", smtpFailure(err).error);
        } finally {
          transport.close();
        }
      }
      case "pagerduty": {
        const probe = {
          kind: "acknowledge" as const,
          title: "connection test",
          body: "",
          dedupKey: `aegisops-connection-test-${Date.now()}`,
        };
        return fromSend(
          await sendPagerDuty(c.config, probe, { timeoutMs, source: "aegisops" }),
          "Events API v2 enqueue",
        );
      }
      case "webhook":
        return fromSend(
          await sendSignedWebhook(c.config, "ping", { message: "AegisOps connection test" }, { timeoutMs }),
          "signed ping",
        );
      case "jira": {
        const auth = Buffer.from(`${c.config.email}:${c.config.api_token}`).toString("base64");
        const j = (await getJson(
          `${base(c.config.base_url)}/rest/api/3/myself`,
          { authorization: `Basic ${auth}` },
          timeoutMs,
        )) as {
          displayName?: string;
          accountId?: string;
        };
        return done(true, `signed in as ${j.displayName ?? j.accountId ?? "unknown"}`, null);
      }
      default:
        return assertNever(c);
    }
  } catch (err) {
    return done(false, "request", reasonOf(err));
  }
}

/** What a manual sync fetched. */
export interface SyncResult {
  synced: boolean;
  detail: string;
  items: unknown[];
}

/**
 * Prometheus: its active alerts (`GET /api/v1/alerts`); Grafana: its alert rules' firing alerts (the
 * built-in Alertmanager API). Other kinds hold nothing to pull, and say so.
 */
export async function syncIntegration(c: AnyKindConfig, timeoutMs: number): Promise<SyncResult> {
  switch (c.kind) {
    case "prometheus": {
      const j = (await getJson(`${base(c.config.url)}/api/v1/alerts`, bearer(c.config.bearer_token), timeoutMs)) as {
        data?: { alerts?: { labels?: Record<string, string>; state?: string; activeAt?: string; value?: string }[] };
      };
      const alerts = j.data?.alerts ?? [];
      const firing = alerts.filter((a) => a.state === "firing").length;
      return { synced: true, detail: `${alerts.length} active alerts (${firing} firing)`, items: alerts };
    }
    case "grafana": {
      const alerts = (await getJson(
        `${base(c.config.url)}/api/alertmanager/grafana/api/v2/alerts?active=true`,
        bearer(c.config.api_token),
        timeoutMs,
      )) as unknown[];
      return {
        synced: true,
        detail: `${Array.isArray(alerts) ? alerts.length : 0} active alerts`,
        items: Array.isArray(alerts) ? alerts : [],
      };
    }
    default:
      return { synced: false, detail: `nothing to sync for a ${c.kind} integration: it only sends`, items: [] };
  }
}

/**
 * A GET of a JSON answer. A kept-alive connection the server closed between two requests (it restarted,
 * or its idle timeout ran out as the request left) fails with `UND_ERR_SOCKET` before any answer: the
 * GET is idempotent, so it is sent once more on a fresh connection rather than reported as the system's error.
 */
async function getJson(url: string, headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  const get = () => fetch(url, { headers: { accept: "application/json", ...headers }, signal });
  const res = await get().catch((err: unknown) => {
    if (reasonOf(err) === "UND_ERR_SOCKET") return get();
    throw err;
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error("answer is not JSON");
  }
}

function base(url: string): string {
  return url.replace(/\/+$/, "");
}

function bearer(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
