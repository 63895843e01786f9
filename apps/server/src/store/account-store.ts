import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Role } from "../ports/identity.js";
import type { Db } from "./database.js";
import { apiKeys, projectMembers, projects, refreshTokens, tenants, users } from "./schema.js";

export type UserRow = typeof users.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type RefreshRow = typeof refreshTokens.$inferSelect;

export interface Membership {
  projectId: string;
  name: string;
  role: Role;
}

export interface MemberView {
  userId: string;
  email: string;
  fullName: string;
  role: Role;
  createdAt: Date;
}

/** Persistence of tenants, users, memberships, refresh-token families and project API keys. */
/** The columns of a member as the API shows it (one owner for both member reads). */
const memberView = {
  userId: users.id,
  email: users.email,
  fullName: users.fullName,
  role: projectMembers.role,
  createdAt: projectMembers.createdAt,
};

export class AccountStore {
  async insertTenant(db: Db, t: { id: string; name: string; slug: string }): Promise<TenantRow> {
    const rows = await db.insert(tenants).values(t).returning();
    return rows[0] as TenantRow;
  }

  async tenant(db: Db, id: string): Promise<TenantRow | null> {
    return (await db.select().from(tenants).where(eq(tenants.id, id)))[0] ?? null;
  }

  /** Insert a user; null when the email is taken. */
  async insertUser(
    db: Db,
    u: { id: string; tenantId: string; email: string; fullName: string; passwordHash: string },
  ): Promise<UserRow | null> {
    const rows = await db.insert(users).values(u).onConflictDoNothing().returning();
    return rows[0] ?? null;
  }

  async userByEmail(db: Db, email: string): Promise<UserRow | null> {
    return (await db.select().from(users).where(eq(users.email, email)))[0] ?? null;
  }

  async userById(db: Db, id: string): Promise<UserRow | null> {
    return (await db.select().from(users).where(eq(users.id, id)))[0] ?? null;
  }

  async insertProject(db: Db, p: { id: string; name: string; tenantId: string | null }): Promise<ProjectRow> {
    const rows = await db.insert(projects).values(p).returning();
    return rows[0] as ProjectRow;
  }

  async project(db: Db, id: string): Promise<ProjectRow | null> {
    return (await db.select().from(projects).where(eq(projects.id, id)))[0] ?? null;
  }

  async renameProject(db: Db, id: string, name: string): Promise<ProjectRow | null> {
    return (await db.update(projects).set({ name }).where(eq(projects.id, id)).returning())[0] ?? null;
  }

  /** Delete a project with its members and keys (cascade); other tables' rows block it (FK) and stay. */
  async deleteProject(db: Db, id: string): Promise<boolean> {
    return (await db.delete(projects).where(eq(projects.id, id)).returning({ id: projects.id })).length > 0;
  }

  async memberships(db: Db, userId: string): Promise<Membership[]> {
    return db
      .select({ projectId: projects.id, name: projects.name, role: projectMembers.role })
      .from(projectMembers)
      .innerJoin(projects, eq(projects.id, projectMembers.projectId))
      .where(eq(projectMembers.userId, userId))
      .orderBy(asc(projectMembers.createdAt), asc(projects.id));
  }

  async roleOf(db: Db, projectId: string, userId: string): Promise<Role | null> {
    const rows = await db
      .select({ role: projectMembers.role })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    return rows[0]?.role ?? null;
  }

  async members(db: Db, projectId: string): Promise<MemberView[]> {
    return db
      .select(memberView)
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(eq(projectMembers.projectId, projectId))
      .orderBy(asc(projectMembers.createdAt), asc(users.id));
  }

  async member(db: Db, projectId: string, userId: string): Promise<MemberView | null> {
    const rows = await db
      .select(memberView)
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
    return rows[0] ?? null;
  }

  /** Add a member; false when the user already is one. */
  async addMember(db: Db, projectId: string, userId: string, role: Role): Promise<boolean> {
    const rows = await db
      .insert(projectMembers)
      .values({ projectId, userId, role })
      .onConflictDoNothing()
      .returning({ userId: projectMembers.userId });
    return rows.length > 0;
  }

  async setRole(db: Db, projectId: string, userId: string, role: Role): Promise<boolean> {
    const rows = await db
      .update(projectMembers)
      .set({ role })
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
      .returning({ userId: projectMembers.userId });
    return rows.length > 0;
  }

  async removeMember(db: Db, projectId: string, userId: string): Promise<boolean> {
    const rows = await db
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
      .returning({ userId: projectMembers.userId });
    return rows.length > 0;
  }

  async ownerCount(db: Db, projectId: string): Promise<number> {
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.role, "owner")));
    return rows[0]?.n ?? 0;
  }

  async insertRefresh(
    db: Db,
    r: { tokenHash: string; familyId: string; userId: string; projectId: string; expiresAt: Date },
  ): Promise<void> {
    await db.insert(refreshTokens).values(r);
  }

  async refresh(db: Db, tokenHash: string): Promise<RefreshRow | null> {
    return (await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)))[0] ?? null;
  }

  /** Mark a refresh token used; false when it already was (a concurrent or replayed use). */
  async markUsed(db: Db, tokenHash: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
      .returning({ tokenHash: refreshTokens.tokenHash });
    return rows.length > 0;
  }

  async revokeFamily(db: Db, familyId: string, now: Date): Promise<void> {
    await db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }

  /** True while a session (refresh family) is neither revoked nor past its last token's expiry. */
  async familyActive(db: Db, familyId: string, now: Date): Promise<boolean> {
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(refreshTokens)
      .where(
        and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, now)),
      );
    return (rows[0]?.n ?? 0) > 0;
  }

  /** Point a session's unused refresh tokens at another project (switch-project). */
  async moveFamily(db: Db, familyId: string, projectId: string): Promise<void> {
    await db
      .update(refreshTokens)
      .set({ projectId })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.usedAt)));
  }

  async insertApiKey(
    db: Db,
    k: {
      id: string;
      projectId: string;
      name: string;
      keyHash: string;
      prefix: string;
      role: Role;
      createdBy: string;
      expiresAt: Date | null;
    },
  ): Promise<ApiKeyRow> {
    return (await db.insert(apiKeys).values(k).returning())[0] as ApiKeyRow;
  }

  async apiKeys(db: Db, projectId: string): Promise<ApiKeyRow[]> {
    return db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.projectId, projectId))
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  }

  async revokeApiKey(db: Db, projectId: string, id: string, now: Date): Promise<boolean> {
    const rows = await db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.projectId, projectId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }

  /** The live key with this hash: not revoked, not expired. */
  async liveApiKey(db: Db, keyHash: string, now: Date): Promise<ApiKeyRow | null> {
    const rows = await db
      .select()
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.keyHash, keyHash),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
        ),
      );
    return rows[0] ?? null;
  }
}
