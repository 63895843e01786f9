import { randomUUID } from "node:crypto";
import { NO_SECURITY_EVENTS, type SecurityEvent, type SecurityEvents } from "../ports/security-events.js";
import { AuthError, ConflictError, ForbiddenError, NotFoundError, RateLimitError } from "../shared/errors.js";
import type { AccountStore, Membership, TenantRow, UserRow } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import type { LoginThrottle } from "./login-throttle.js";
import { dummyHash, hashPassword, verifyPassword } from "./password-hasher.js";
import { newSecret, secretHash } from "./secret-hash.js";
import type { SessionTokens } from "./session-tokens.js";
import { REFRESH_TTL_SECONDS, type TokenIssuer } from "./token-issuer.js";

export interface UserView {
  id: string;
  email: string;
  fullName: string;
  tenantId: string;
}

export interface SignedIn {
  user: UserView;
  tenant: TenantRow;
  /** The active project and the user's role in it. */
  project: Membership;
  projects: Membership[];
  tokens: Required<SessionTokens>;
}

const view = (u: UserView): UserView => ({ id: u.id, email: u.email, fullName: u.fullName, tenantId: u.tenantId });

/** Lower-case, URL-safe name of a tenant ("Acme Corporation" → "acme-corporation"). */
export function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "tenant"
  );
}

/** Sign-up, sign-in and the session's refresh-token family (seed 002 /auth). */
export class AuthService {
  constructor(
    private readonly database: Database,
    private readonly store: AccountStore,
    private readonly tokens: TokenIssuer,
    private readonly throttle: LoginThrottle,
    private readonly now: () => Date = () => new Date(),
    private readonly events: SecurityEvents = NO_SECURITY_EVENTS,
  ) {}

  /** A new user, their tenant, and a first project they own. */
  async register(input: { email: string; password: string; fullName: string; tenantName: string }): Promise<SignedIn> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password);
    const created = await this.database.db.transaction(async (tx) => {
      const tenant = await this.store.insertTenant(tx, {
        id: randomUUID(),
        name: input.tenantName,
        slug: slugOf(input.tenantName),
      });
      const user = await this.store.insertUser(tx, {
        id: randomUUID(),
        tenantId: tenant.id,
        email,
        fullName: input.fullName,
        passwordHash,
      });
      if (!user) throw new ConflictError("email already registered");
      const project = await this.store.insertProject(tx, { id: randomUUID(), name: "Production", tenantId: tenant.id });
      await this.store.addMember(tx, project.id, user.id, "owner");
      return { tenant, user };
    });
    return this.signIn(created.user, created.tenant);
  }

  /** Email and password; throttled per account and per client IP. */
  async login(emailIn: string, password: string, ip: string): Promise<SignedIn> {
    const email = emailIn.trim().toLowerCase();
    const wait = this.throttle.retryAfter(email, ip);
    if (wait > 0) {
      this.emitAbout(email, {
        type: "login_throttled",
        severity: "medium",
        message: `sign-in for ${email} held for ${wait} s after repeated failures`,
        principal: email,
        ip,
      });
      throw new RateLimitError(`too many failed logins; retry in ${wait} seconds`, wait);
    }
    const user = await this.store.userByEmail(this.database.db, email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    if (!user || !ok) {
      this.throttle.failed(email, ip);
      this.emitAbout(email, {
        type: "login_failed",
        severity: "low",
        message: user ? `wrong password for ${email}` : `sign-in for unknown email ${email}`,
        principal: email,
        ip,
        details: { known_user: Boolean(user) },
      });
      throw new AuthError("invalid email or password");
    }
    this.throttle.succeeded(email);
    const tenant = await this.store.tenant(this.database.db, user.tenantId);
    if (!tenant) throw new AuthError("invalid email or password");
    return this.signIn(user, tenant);
  }

  /**
   * Rotate: the presented refresh token is spent and the next one of its family issued. Presenting a spent
   * token again means it leaked (or a client raced itself): the whole family is revoked and the caller must
   * sign in again.
   */
  async refresh(refreshToken: string): Promise<Required<SessionTokens>> {
    const db = this.database.db;
    const now = this.now();
    const row = await this.store.refresh(db, secretHash(refreshToken));
    if (!row || row.revokedAt || row.expiresAt <= now) throw new AuthError("invalid refresh token");
    if (row.usedAt || !(await this.store.markUsed(db, row.tokenHash, now))) {
      await this.store.revokeFamily(db, row.familyId, now);
      this.events.emit({
        type: "refresh_token_reuse",
        severity: "high",
        projectIds: [row.projectId],
        message: "a spent refresh token was presented again: its session was revoked",
        principal: row.userId,
        details: { session_id: row.familyId },
      });
      throw new AuthError("refresh token reused; session revoked");
    }
    const user = await this.store.userById(db, row.userId);
    if (!user) throw new AuthError("invalid refresh token");
    // A user removed from the session's project continues in their first remaining one.
    const memberships = await this.store.memberships(db, user.id);
    const project = memberships.find((m) => m.projectId === row.projectId) ?? memberships[0];
    if (!project) throw new AuthError("no project left to sign in to");
    return this.issue(user, project.projectId, row.familyId);
  }

  /** Revoke a session: by its refresh token, or by the session id of the access token presented. */
  async logout(by: { refreshToken?: string | undefined; sessionId?: string | undefined }): Promise<void> {
    const db = this.database.db;
    const row = by.refreshToken ? await this.store.refresh(db, secretHash(by.refreshToken)) : null;
    const familyId = row?.familyId ?? by.sessionId;
    if (familyId) await this.store.revokeFamily(db, familyId, this.now());
  }

  async me(userId: string, projectId: string): Promise<Omit<SignedIn, "tokens">> {
    const db = this.database.db;
    const user = await this.store.userById(db, userId);
    const tenant = user ? await this.store.tenant(db, user.tenantId) : null;
    if (!user || !tenant) throw new AuthError("unknown user");
    const projects = await this.store.memberships(db, user.id);
    const project = projects.find((m) => m.projectId === projectId);
    if (!project) throw new AuthError("not a member of the active project");
    return { user: view(user), tenant, project, projects };
  }

  /** A new access token acting on another of the user's projects; the session's refresh tokens follow. */
  async switchProject(
    userId: string,
    sessionId: string,
    projectId: string,
  ): Promise<{ project: Membership; tokens: SessionTokens }> {
    const db = this.database.db;
    const user = await this.store.userById(db, userId);
    const project = user ? (await this.store.memberships(db, userId)).find((m) => m.projectId === projectId) : null;
    if (!user || !project) throw new NotFoundError("project not found");
    await this.store.moveFamily(db, sessionId, projectId);
    const accessToken = await this.tokens.sign({ userId, tenantId: user.tenantId, projectId, sessionId });
    return { project, tokens: { accessToken } };
  }

  /** A short-lived token for opening the WebSocket (`/ws?token=`) where cookies or headers cannot go. */
  async wsToken(userId: string, sessionId: string, projectId: string): Promise<string> {
    const user = await this.store.userById(this.database.db, userId);
    if (!user) throw new ForbiddenError("signed-in users only");
    return this.tokens.sign({ userId, tenantId: user.tenantId, projectId, sessionId }, "ws");
  }

  /**
   * An event about an account: in each of its projects, or in none (operators see it) for an unknown email.
   * Not awaited, so the lookup adds no time to the refusal (which would tell known emails from unknown).
   */
  private emitAbout(email: string, e: Omit<SecurityEvent, "projectIds">): void {
    const db = this.database.db;
    void (async () => {
      const user = await this.store.userByEmail(db, email);
      const projects = user ? await this.store.memberships(db, user.id) : [];
      this.events.emit({ ...e, projectIds: projects.map((p) => p.projectId) });
    })().catch(() => this.events.emit({ ...e, projectIds: [] }));
  }

  private async signIn(user: UserRow, tenant: TenantRow): Promise<SignedIn> {
    const projects = await this.store.memberships(this.database.db, user.id);
    const project = projects[0];
    if (!project) throw new AuthError("no project to sign in to");
    const tokens = await this.issue(user, project.projectId, randomUUID());
    return { user: view(user), tenant, project, projects, tokens };
  }

  private async issue(user: UserRow, projectId: string, familyId: string): Promise<Required<SessionTokens>> {
    const refreshToken = newSecret("aegis_rt_");
    await this.store.insertRefresh(this.database.db, {
      tokenHash: secretHash(refreshToken),
      familyId,
      userId: user.id,
      projectId,
      expiresAt: new Date(this.now().getTime() + REFRESH_TTL_SECONDS * 1000),
    });
    const accessToken = await this.tokens.sign({
      userId: user.id,
      tenantId: user.tenantId,
      projectId,
      sessionId: familyId,
    });
    return { accessToken, refreshToken };
  }
}
