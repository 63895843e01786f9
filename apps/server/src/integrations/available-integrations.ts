import { type AvailableIntegration, type IntegrationKind, KindConfig, SECRET_FIELDS } from "@aegis/contracts";
import type { z } from "zod";

const ABOUT: Record<IntegrationKind, { category: AvailableIntegration["category"]; description: string }> = {
  prometheus: {
    category: "monitoring",
    description: "Prometheus server: connection test runs `up`; sync pulls its active alerts.",
  },
  grafana: {
    category: "monitoring",
    description: "Grafana: health check; sync pulls firing alerts of Grafana alerting.",
  },
  slack: {
    category: "notification",
    description: "Slack: pages by incoming webhook or chat.postMessage (Block Kit), approve/reject buttons.",
  },
  teams: {
    category: "notification",
    description: "Microsoft Teams: pages as Adaptive Cards by incoming webhook, approve/reject via signed callback.",
  },
  email: { category: "notification", description: "Email over SMTP (STARTTLS, AUTH)." },
  pagerduty: {
    category: "notification",
    description: "PagerDuty Events API v2: trigger, acknowledge and resolve with dedup keys.",
  },
  webhook: { category: "notification", description: "Generic webhook signed with HMAC-SHA256 (X-Signature-256)." },
  jira: { category: "ticketing", description: "Jira Cloud: tickets filed as issues; connection test reads /myself." },
};

/** Every kind the registry accepts, with its fields (which are secret, which required), from the kind's schema. */
export const AVAILABLE: Omit<AvailableIntegration, "configured">[] = (Object.keys(ABOUT) as IntegrationKind[]).map(
  (type) => {
    const schema = KindConfig[type] as unknown as z.ZodObject;
    const shape = (schema.shape ?? (schema as unknown as { def: { in?: z.ZodObject } }).def.in?.shape ?? {}) as Record<
      string,
      z.ZodType
    >;
    return {
      type,
      ...ABOUT[type],
      fields: Object.entries(shape).map(([name, f]) => ({
        name,
        secret: SECRET_FIELDS[type].includes(name),
        required: !f.safeParse(undefined).success,
      })),
    };
  },
);
