import {
  AccessLogEntry,
  AuditLogEntry,
  AuditVerification,
  ComplianceReport,
  OnCallError,
  onCallOk,
  onCallPaged,
  SecurityEventEntry,
  ThreatDetection,
  UserPermissions,
} from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { PERMISSIONS, type Permission, roleTable } from "../../accounts/role-permissions.js";
import { SECURITY_EVENT_TYPES, SEVERITIES } from "../../ports/security-events.js";
import { InputError, UnavailableError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import type { DownloadSigner } from "../download-signer.js";
import { identityOf, principalOf, projectOf, requireRole } from "../request-identity.js";

const Errors = { 400: OnCallError, 401: OnCallError, 403: OnCallError, 404: OnCallError };
const tags = ["security"];

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date-time")
  .transform((s) => new Date(s))
  .optional();
const AuditFilterQuery = z.object({
  action: z.string().min(1).max(200).optional().describe("exact action, or a prefix ending in `*` (`http.*`)"),
  user: z.string().min(1).max(320).optional().describe("actor id, or part of the actor's name"),
  resource: z.string().min(1).max(500).optional().describe("resource type, or `type:id`"),
  from: isoDate,
  to: isoDate,
});

function checkedRange<T extends { from?: Date | undefined; to?: Date | undefined }>(f: T): T {
  if (f.from && f.to && f.from > f.to) {
    throw new InputError("from must not be after to", "bad_request", { field: "from", from: f.from, to: f.to });
  }
  return f;
}

function requirePermission(req: FastifyRequest, p: Permission): void {
  requireRole(req, PERMISSIONS[p]);
}

/**
 * Seed 003 `/api/v1/security/*` (ADR 0016): the audit chain (list, verify, streamed export), permissions,
 * access log, security events, computed compliance, threat detection. Admins and owners only.
 * `POST /rotate-api-key` is served with the paging integrations.
 */
export function registerSecurityRoutes(fastify: FastifyInstance, d: AppDeps, links: DownloadSigner): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const sec = () => {
    if (!d.security) throw new UnavailableError("security services are not wired in this process");
    return d.security;
  };
  /** Which rows a reader sees: the project's, and — for the operator's own owners — those naming no project. */
  const scopeOf = (req: FastifyRequest) => ({
    projectId: projectOf(req),
    operator: projectOf(req) === sec().operatorProjectId && principalOf(req).role === "owner",
  });

  app.get(
    "/api/v1/security/audit-logs",
    {
      schema: {
        tags,
        summary: "Audit log of the project, newest first (hash-chained, append-only)",
        querystring: AuditFilterQuery.extend({
          page: z.coerce.number().int().min(1).max(1_000_000).default(1),
          page_size: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: onCallPaged(AuditLogEntry), ...Errors },
      },
    },
    async (req) => {
      requirePermission(req, "audit.read");
      const { page, page_size, ...filter } = req.query;
      const { items, total } = await sec().audit.page(projectOf(req), checkedRange(filter), page, page_size);
      const data = { items, total, page, page_size, has_next: page * page_size < total };
      return { success: true as const, message: `${items.length} of ${total} audit entries`, data, ...data };
    },
  );

  app.get(
    "/api/v1/security/audit-logs/verify",
    {
      schema: {
        tags,
        summary: "Verify the project's audit hash chain; names the first entry that fails",
        response: { 200: onCallOk(AuditVerification), ...Errors },
      },
    },
    async (req) => {
      requirePermission(req, "audit.read");
      const v = await sec().audit.verify(projectOf(req));
      const message = v.valid
        ? `audit chain intact: ${v.rows_checked} entries`
        : `audit chain broken at entry #${v.first_broken?.seq}: ${v.first_broken?.reason}`;
      return { success: true as const, message, data: v };
    },
  );

  app.get(
    "/api/v1/security/audit-logs/export",
    {
      schema: {
        tags,
        summary: "Export the audit log, streamed: CSV (header row) or newline-delimited JSON, oldest first",
        description:
          "As seed 003 documents for file exports, the answer is a download URL: `{success, message, data: {download_url, expires_at, format}}`, a URL of this export (same filters) signed for the caller, which downloads the file without an API key until `expires_at` (AEGIS_DOWNLOAD_LINK_SECS, 24 hours), then answers 403. With `delivery=file` the answer is the file itself.",
        querystring: AuditFilterQuery.extend({
          format: z.enum(["csv", "json"]).default("csv"),
          delivery: z.enum(["file", "link"]).default("link"),
        }),
      },
    },
    async (req, reply) => {
      requirePermission(req, "audit.read");
      const { format, delivery, ...filter } = req.query;
      const project = projectOf(req);
      if (delivery === "link") {
        checkedRange(filter);
        const url = new URL(req.url, "http://link");
        url.searchParams.set("delivery", "file");
        const link = links.sign(`${url.pathname}${url.search}`, identityOf(req));
        return {
          success: true as const,
          message: `audit log export link, valid until ${link.expires_at}`,
          data: { download_url: link.url, expires_at: link.expires_at, format },
        };
      }
      const stamp = new Date().toISOString().replaceAll(":", "-").slice(0, 19);
      const ext = format === "csv" ? "csv" : "ndjson";
      reply
        .header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson")
        .header("content-disposition", `attachment; filename="audit-${project}-${stamp}.${ext}"`);
      return reply.send(sec().audit.export(project, checkedRange(filter), format));
    },
  );

  app.get(
    "/api/v1/security/permissions",
    {
      schema: {
        tags,
        summary:
          "A user's role in each project you administer and what it allows; without `user_email`, the role table",
        querystring: z.object({ user_email: z.string().min(3).max(320).optional() }),
        response: {
          200: onCallOk(
            z.object({
              user: UserPermissions.nullable(),
              roles: z.array(z.object({ role: z.string(), permissions: z.array(z.string()) })),
            }),
          ),
          ...Errors,
        },
      },
    },
    async (req) => {
      requirePermission(req, "members.manage");
      const email = req.query.user_email;
      const permissions = d.accounts.permissions;
      if (email && !permissions) throw new UnavailableError("accounts are not wired in this process");
      const user = email && permissions ? await permissions.of(identityOf(req), email) : null;
      return {
        success: true as const,
        message: user ? `permissions of ${user.user_email}` : "role table",
        data: { user, roles: roleTable() },
      };
    },
  );

  app.get(
    "/api/v1/security/access-logs",
    {
      schema: {
        tags,
        summary: "API requests to the project, newest first: principal, route, status, latency, address",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: onCallOk(z.object({ items: z.array(AccessLogEntry), total: z.number().int() })), ...Errors },
      },
    },
    async (req) => {
      requirePermission(req, "security.read");
      const items = await sec().access.list(scopeOf(req), req.query.limit);
      return { success: true as const, message: `${items.length} requests`, data: { items, total: items.length } };
    },
  );

  app.get(
    "/api/v1/security/security-events",
    {
      schema: {
        tags,
        summary:
          "Security events: failed sign-ins, token reuse, keys from new addresses, injections, rate limits, refusals",
        querystring: z.object({
          severity: z.enum(SEVERITIES).optional().describe("this severity and above"),
          days: z.coerce.number().int().min(1).max(365).default(7),
          type: z.enum(SECURITY_EVENT_TYPES).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: {
          200: onCallOk(z.object({ items: z.array(SecurityEventEntry), total: z.number().int() })),
          ...Errors,
        },
      },
    },
    async (req) => {
      requirePermission(req, "security.read");
      const q = req.query;
      let items = await sec().events.list(scopeOf(req), {
        days: q.days,
        limit: q.type ? 5000 : q.limit,
        ...(q.severity ? { severity: q.severity } : {}),
      });
      if (q.type) items = items.filter((e) => e.type === q.type).slice(0, q.limit);
      return {
        success: true as const,
        message: `${items.length} security events in ${q.days} days`,
        data: { items, total: items.length },
      };
    },
  );

  app.get(
    "/api/v1/security/compliance-report",
    {
      schema: {
        tags,
        summary: "Which security controls hold, each computed now with its evidence",
        response: { 200: onCallOk(ComplianceReport), ...Errors },
      },
    },
    async (req) => {
      requirePermission(req, "security.read");
      const report = await sec().compliance.report(projectOf(req));
      return {
        success: true as const,
        message: `${report.passed} of ${report.controls.length} controls pass`,
        data: report,
      };
    },
  );

  app.get(
    "/api/v1/security/threat-detection",
    {
      schema: {
        tags,
        summary: "Live state of the detectors: events per window, top offending addresses and principals",
        response: { 200: onCallOk(ThreatDetection), ...Errors },
      },
    },
    async (req) => {
      requirePermission(req, "security.read");
      const state = await sec().events.threats(scopeOf(req), SECURITY_EVENT_TYPES);
      return { success: true as const, message: `threat level ${state.status}`, data: state };
    },
  );
}
