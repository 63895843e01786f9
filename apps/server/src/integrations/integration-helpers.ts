import { type ConnectionTest, type IntegrationKind, type IntegrationLogEntry, KindConfig } from "@aegis/contracts";
import type { z } from "zod";
import { InputError } from "../shared/errors.js";
import type { IntegrationEventRow } from "../store/integration-store.js";
import { AVAILABLE } from "./available-integrations.js";

/** The registry's pure helpers: settings validation, sealing context, and the wire shapes of tests and log entries. */

/** The authenticated context of a sealed secret: it opens only in its own project, integration and field. */
export function context(projectId: string, id: string, field: string): string {
  return `integration:${projectId}:${id}:${field}`;
}

export function kindNamed(name: string): IntegrationKind | undefined {
  return AVAILABLE.find((a) => a.type === name)?.type;
}

/** A kind's settings validated; the error names the first failing field (`config.url`). */
export function parseConfig(kind: IntegrationKind, config: Record<string, unknown>): Record<string, unknown> {
  const parsed = (KindConfig[kind] as z.ZodType<Record<string, unknown>>).safeParse(config);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ["config", ...(issue?.path ?? []).map(String)].join(".");
  throw new InputError(`${field}: ${issue?.message ?? "invalid"}`, "bad_request", {
    field,
    issues: parsed.error.issues.map((i) => ({
      field: ["config", ...i.path.map(String)].join("."),
      message: i.message,
    })),
  });
}

export function withoutNulls(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null));
}

export function wireTest(
  type: IntegrationKind,
  r: { ok: boolean; latencyMs: number | null; detail: string; error: string | null },
  at = new Date(),
): ConnectionTest {
  return {
    success: r.ok,
    type,
    latency_ms: r.latencyMs,
    detail: r.detail,
    error: r.error,
    tested_at: at.toISOString(),
  };
}

export function wireLog(e: IntegrationEventRow): IntegrationLogEntry {
  return {
    id: e.id,
    timestamp: e.createdAt.toISOString(),
    level: e.level,
    event: e.event,
    status: e.status,
    message: e.message,
    latency_ms: e.latencyMs,
    attempts: e.attempts,
  };
}

export function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
