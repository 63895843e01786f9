import { DetailError } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { SignedIn } from "../../accounts/auth-service.js";
import { WS_TTL_SECONDS } from "../../accounts/token-issuer.js";
import { RateLimitError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { projectOf, userSessionOf } from "../request-identity.js";
import type { Issue } from "../seed-envelope.js";
import { clearSessionCookies, presentedRefresh, setSessionCookies } from "./session-cookies.js";
import { sreRateLimit } from "./sre-rate-limit.js";

const Role = z.enum(["owner", "admin", "member", "viewer"]);
const ProjectRef = z.object({ id: z.string(), name: z.string(), role: Role });
const Tenant = z.object({ id: z.string(), name: z.string(), slug: z.string() });
const UserWithProject = z.object({
  id: z.string(),
  email: z.string(),
  full_name: z.string(),
  tenant_id: z.string(),
  project_id: z.string(),
  role: Role,
});
const Token = { access_token: z.string(), token_type: z.literal("bearer") };
/** Product addition: the refresh token in the body too, for clients without a cookie jar (CLI, SDK). */
const RefreshField = { refresh_token: z.string() };

const RegisterBody = z.object({
  email: z.email().max(320),
  password: z.string().min(8).max(1024),
  full_name: z.string().min(1).max(200),
  tenant_name: z.string().min(1).max(200),
});
const RegisterResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), full_name: z.string(), tenant_id: z.string() }),
  tenant: Tenant,
  ...Token,
  ...RefreshField,
});
const LoginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });
const LoginResponse = z.object({ user: UserWithProject, projects: z.array(ProjectRef), ...Token, ...RefreshField });
const MeResponse = z.object({ user: UserWithProject, tenant: Tenant, projects: z.array(ProjectRef) });
const RefreshBody = z.object({ refresh_token: z.string().min(1).optional() }).nullish();
const RateLimited = DetailError.extend({ retry_after: z.number().int() });

const projectRef = (m: SignedIn["project"]) => ({ id: m.projectId, name: m.name, role: m.role });
const userWithProject = (s: Omit<SignedIn, "tokens">) => ({
  id: s.user.id,
  email: s.user.email,
  full_name: s.user.fullName,
  tenant_id: s.user.tenantId,
  project_id: s.project.projectId,
  role: s.project.role,
});

/** Seed 002 /auth: register, login, logout, refresh (rotating), me, switch-project, ws-token. */
/** A required field left out, or no body at all. */
const missingField = (issue: Issue): boolean => issue.type === "missing" || issue.loc.length === 1;

export function registerAuthRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Seed 002's budget on its signed-in routes; register, login and refresh (keyed by address alone) have their own throttle.
  const sre = sreRateLimit(d.config.AEGIS_SRE_PER_MINUTE);
  const auth = d.accounts.auth;
  const tags = ["auth"];

  app.post(
    "/api/v1/auth/register",
    {
      schema: {
        tags,
        summary: "Register a new user and tenant (with a first project they own)",
        security: [],
        body: RegisterBody,
        response: { 200: RegisterResponse, 409: DetailError, 422: DetailError },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const s = await auth.register({
        email: b.email,
        password: b.password,
        fullName: b.full_name,
        tenantName: b.tenant_name,
      });
      setSessionCookies(reply, s.tokens);
      return {
        user: { id: s.user.id, email: s.user.email, full_name: s.user.fullName, tenant_id: s.user.tenantId },
        tenant: { id: s.tenant.id, name: s.tenant.name, slug: s.tenant.slug },
        access_token: s.tokens.accessToken,
        token_type: "bearer" as const,
        refresh_token: s.tokens.refreshToken,
      };
    },
  );

  app.post(
    "/api/v1/auth/login",
    {
      // The seed documents "400 Bad Request: Missing required fields" here (other validation stays 422).
      config: { invalidStatus: (issues) => (issues.some(missingField) ? 400 : undefined) },
      schema: {
        tags,
        summary: "Log in with email and password; throttled per account and per IP",
        security: [],
        body: LoginBody,
        response: { 200: LoginResponse, 400: DetailError, 401: DetailError, 422: DetailError, 429: RateLimited },
      },
    },
    async (req, reply) => {
      try {
        const s = await auth.login(req.body.email, req.body.password, req.ip);
        setSessionCookies(reply, s.tokens);
        return {
          user: userWithProject(s),
          projects: s.projects.map(projectRef),
          access_token: s.tokens.accessToken,
          token_type: "bearer" as const,
          refresh_token: s.tokens.refreshToken,
        };
      } catch (err) {
        if (!(err instanceof RateLimitError)) throw err;
        return reply
          .code(429)
          .header("retry-after", String(err.retryAfterSeconds))
          .send({ detail: err.message, retry_after: err.retryAfterSeconds });
      }
    },
  );

  app.post(
    "/api/v1/auth/refresh",
    {
      schema: {
        tags,
        summary: "Rotate the refresh token (cookie or body); a reused one revokes its session",
        security: [],
        body: RefreshBody,
        response: { 200: z.object({ ...Token, ...RefreshField }), 401: DetailError },
      },
    },
    async (req, reply) => {
      const presented = presentedRefresh(req, req.body);
      try {
        const tokens = await auth.refresh(presented ?? "");
        setSessionCookies(reply, tokens);
        return { access_token: tokens.accessToken, token_type: "bearer" as const, refresh_token: tokens.refreshToken };
      } catch (err) {
        clearSessionCookies(reply);
        throw err;
      }
    },
  );

  app.post(
    "/api/v1/auth/logout",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Log out: revoke the session and clear the cookies",
        body: RefreshBody,
        response: { 200: z.object({ message: z.string() }), 401: DetailError },
      },
    },
    async (req, reply) => {
      await auth.logout({ refreshToken: presentedRefresh(req, req.body), sessionId: req.sessionId });
      clearSessionCookies(reply);
      return { message: "logged out" };
    },
  );

  app.get(
    "/api/v1/auth/me",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "The signed-in user, their tenant, active project and projects",
        response: { 200: MeResponse, 401: DetailError, 403: DetailError },
      },
    },
    async (req) => {
      const me = await auth.me(userSessionOf(req).userId, projectOf(req));
      return {
        user: userWithProject(me),
        tenant: { id: me.tenant.id, name: me.tenant.name, slug: me.tenant.slug },
        projects: me.projects.map(projectRef),
      };
    },
  );

  app.post(
    "/api/v1/auth/switch-project",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Act on another of the user's projects: a new access token for it",
        body: z.object({ project_id: z.string().min(1) }),
        response: {
          200: z.object({ project: ProjectRef, ...Token }),
          401: DetailError,
          403: DetailError,
          404: DetailError,
        },
      },
    },
    async (req, reply) => {
      const { userId, sessionId } = userSessionOf(req);
      const { project, tokens } = await auth.switchProject(userId, sessionId, req.body.project_id);
      setSessionCookies(reply, tokens);
      return { project: projectRef(project), access_token: tokens.accessToken, token_type: "bearer" as const };
    },
  );

  app.get(
    "/api/v1/auth/ws-token",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "A short-lived token for opening the WebSocket (/ws?token=)",
        response: {
          200: z.object({ token: z.string(), expires_in: z.number().int() }),
          401: DetailError,
          403: DetailError,
        },
      },
    },
    async (req) => {
      const { userId, sessionId } = userSessionOf(req);
      return { token: await auth.wsToken(userId, sessionId, projectOf(req)), expires_in: WS_TTL_SECONDS };
    },
  );
}
