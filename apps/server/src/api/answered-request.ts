import type { FastifyReply, FastifyRequest } from "fastify";
import type { Principal } from "../ports/identity.js";

/**
 * What the product records of every answered request (the access log, the audit entry, the request
 * statistics), whichever handler answered it: Fastify's routes (`answeredOf`) or the plain `/webhook`
 * handler (`webhook-fast-handler.ts`). Each recorder reads only this, so both are recorded by one rule.
 */
export interface AnsweredRequest {
  method: string;
  /** The URL's path (no query). */
  path: string;
  /** The route's pattern, when a route answered. */
  route: string | undefined;
  principal: Principal | undefined;
  projectId: string | undefined;
  ip: string;
  userAgent: string | undefined;
  requestId: string;
  status: number;
  latencyMs: number;
  /** The route's path parameters and parsed body, as the handler saw them. */
  params: unknown;
  body: unknown;
  /** The route's own audit form of its body, if it declares one; whether it audits itself. */
  auditBody: ((body: unknown) => unknown) | undefined;
  auditsItself: boolean;
}

/** Called once per answered request, after its response is sent. */
export type AnsweredListener = (a: AnsweredRequest) => void;

/** A Fastify request once its response is sent, as the recorders read it. */
export function answeredOf(req: FastifyRequest, reply: FastifyReply): AnsweredRequest {
  const config = req.routeOptions.config;
  return {
    method: req.method,
    path: req.url.split("?")[0] as string,
    route: req.routeOptions.url,
    principal: req.principal,
    projectId: req.projectId,
    ip: req.ip,
    userAgent: req.headers["user-agent"],
    requestId: req.id,
    status: reply.statusCode,
    latencyMs: reply.elapsedTime,
    params: req.params,
    body: req.body,
    auditBody: config?.auditBody,
    auditsItself: config?.auditsItself === true,
  };
}
