import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { IncidentPayload, IncidentResult } from "@aegis/contracts";
import type { FastifyRequest, FastifyServerFactory } from "fastify";
import { fastWebhookPayload } from "../ingest/fast-webhook-payload.js";
import type { Identity } from "../ports/identity.js";
import type { AnsweredListener } from "./answered-request.js";

/** What the plain handler answers with and records through: the route's own pieces (build-app.ts wires them). */
export interface WebhookFastDeps {
  /** The auth hook's check of a presented key. */
  authenticate: (key: string) => Promise<Identity | null>;
  /** The route's work: the incident service's intake. */
  receive: (projectId: string, payload: IncidentPayload) => Promise<{ incident: IncidentResult }>;
  /** The route's 200: its body, its content type. */
  answer: (incident: IncidentResult) => string;
  answerType: string;
  /** The route's `Retry-After` for an error, if any. */
  retryAfter: (err: unknown) => string | undefined;
  /** The error handler's answer (status, envelope; sent as JSON of `errorType`). */
  fail: (err: unknown, requestId: string, body: unknown) => { status: number; body: unknown };
  errorType: string;
  /** The route's audit form of its body. */
  auditBody: (body: unknown) => unknown;
  /** Every answered request's recorders (access log, audit entry, request statistics), in Fastify's order. */
  answered: readonly AnsweredListener[];
  nextRequestId: () => string;
  bodyLimit: number;
  /** A recorder that threw (logged; Fastify's `onResponse` hooks fail the same quiet way). */
  recordFailed: (err: unknown) => void;
  /** Whether the app is closing: Fastify then answers every request itself (503, `Connection: close`). */
  closing: () => boolean;
}

const PATH = "/webhook";
/** Requests this process's plain handlers answered themselves (tests: that the handler is really in place). */
let answeredPlainly = 0;
export const plainWebhookCount = (): number => answeredPlainly;
/** The bytes of a request read by the plain handler and then handed to Fastify (or the read's error). */
const HELD = Symbol("aegis.webhookHeldBody");
type Held = IncomingMessage & { [HELD]?: Buffer | Error };

/**
 * Whether the plain handler takes a request, from its head alone: `POST /webhook` exactly, a JSON body of
 * a stated, non-zero length within the limit (no chunked framing, no `Expect`), a key in `X-API-Key` (which
 * the auth hook reads before any cookie, bearer token or signed link). Anything else is Fastify's, untouched.
 */
function takes(req: IncomingMessage, bodyLimit: number): boolean {
  if (req.method !== "POST" || req.url !== PATH) return false;
  const h = req.headers;
  if (h["content-type"] !== "application/json" || h["transfer-encoding"] !== undefined || h.expect !== undefined)
    return false;
  const length = Number(h["content-length"]);
  if (!(length > 0 && length <= bodyLimit)) return false;
  const key = h["x-api-key"];
  return typeof key === "string" && key !== "";
}

/**
 * A Fastify `serverFactory`: Node's HTTP server with a plain handler in front of Fastify's for the plainly
 * valid, authenticated `POST /webhook` (ADR 0025, eighth round). It answers as the route does — same status,
 * headers and bytes, a 200 only once the intake has made the alert durable — and records the same access-log
 * row, audit entry and request statistics, through the same functions. A request it is not sure of goes to
 * Fastify: from its head alone (`takes`), on a key that does not authenticate (before its body is read), and
 * on a body that is not plainly valid (its bytes handed over with it, `heldBody`), so Fastify answers it as
 * it would have. The server itself is configured as Fastify configures its own.
 */
export function webhookFastServer(deps: WebhookFastDeps): FastifyServerFactory<Server> {
  const answer = (
    res: ServerResponse,
    status: number,
    type: string,
    text: string,
    retryAfter: string | undefined,
  ): void => {
    const length = String(Buffer.byteLength(text));
    // Headers in the order Fastify writes them (a route's own first, then type and length).
    res.writeHead(
      status,
      retryAfter === undefined
        ? { "content-type": type, "content-length": length }
        : { "retry-after": retryAfter, "content-type": type, "content-length": length },
    );
    res.end(text);
  };

  const handle = async (
    req: Held,
    res: ServerResponse,
    fastify: (req: IncomingMessage, res: ServerResponse) => void,
  ) => {
    const start = performance.now();
    // A failing check (the key store unreachable) is Fastify's to answer too: its auth hook meets it again.
    const identity = await deps.authenticate(req.headers["x-api-key"] as string).catch(() => null);
    // Refused: Fastify's auth hook refuses it the same way, before reading the body.
    if (!identity) return fastify(req, res);
    const read = await bodyOf(req);
    // Fastify's decoding (UTF-8 of the whole body); its JSON parser says yes to all that `JSON.parse` takes
    // with no `__proto__` or `constructor` member, which the validator refuses anyway (seed keys only).
    const payload = read instanceof Buffer ? fastWebhookPayload(parsed(read.toString("utf8"))) : null;
    if (payload === null) {
      req[HELD] = read;
      return fastify(req, res);
    }
    const requestId = deps.nextRequestId();
    answeredPlainly++;
    let status = 200;
    let recorded = false;
    // As Fastify's `onResponse`: once the answer is written out (or failed to be).
    const onAnswered = () => {
      if (recorded) return;
      recorded = true;
      const latencyMs = performance.now() - start;
      const answered = {
        method: "POST",
        path: PATH,
        route: PATH,
        principal: identity.principal,
        projectId: identity.projectId,
        ip: req.socket.remoteAddress as string,
        userAgent: req.headers["user-agent"],
        requestId,
        status,
        latencyMs,
        params: {},
        body: payload,
        auditBody: deps.auditBody,
        auditsItself: false,
      };
      try {
        for (const record of deps.answered) record(answered);
      } catch (err) {
        // As a failing `onResponse` hook: the answer is out; the failure is logged, nothing else stops.
        deps.recordFailed(err);
      }
    };
    res.once("finish", onAnswered);
    res.once("error", onAnswered);
    try {
      const { incident } = await deps.receive(identity.projectId, payload);
      answer(res, 200, deps.answerType, deps.answer(incident), undefined);
    } catch (err) {
      const failed = deps.fail(err, requestId, payload);
      status = failed.status;
      answer(res, status, deps.errorType, JSON.stringify(failed.body), deps.retryAfter(err));
    }
  };

  return (fastify, options) => {
    const server = createServer((options.http ?? {}) as object, (req, res) => {
      if (deps.closing() || !takes(req, deps.bodyLimit)) return fastify(req, res);
      handle(req, res, fastify).catch((err) => {
        // Not expected (the answer's own errors are answered above); never leave the request hanging.
        if (!res.headersSent) res.destroy(err as Error);
      });
    });
    // As Fastify sets up its own server (fastify/lib/server.js).
    server.keepAliveTimeout = options.keepAliveTimeout as number;
    server.requestTimeout = options.requestTimeout as number;
    server.setTimeout(options.connectionTimeout as number);
    if ((options.maxRequestsPerSocket as number) > 0)
      server.maxRequestsPerSocket = options.maxRequestsPerSocket as number;
    return server;
  };
}

/** The body's bytes, or the read's error. */
function bodyOf(req: IncomingMessage): Promise<Buffer | Error> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)));
    req.once("error", (err) => resolve(err));
  });
}

/** JSON, or undefined for text that is not (the hot path's validator then says no, and Fastify answers). */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The `/webhook` route's `preParsing` hook: a request the plain handler read and then handed over is parsed
 * from the bytes it read (or fails with the error its read met), as Fastify would have read them itself.
 */
export async function heldBody(req: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream) {
  const held = (req.raw as Held)[HELD];
  if (held === undefined) return payload;
  if (held instanceof Error) {
    return new Readable({
      read() {
        this.destroy(held);
      },
    });
  }
  return Readable.from([held], { objectMode: false });
}
