import { randomUUID } from "node:crypto";
import type { Identity, Role } from "../ports/identity.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../shared/errors.js";
import type { AccountStore, MemberView, UserRow } from "../store/account-store.js";

export type { MemberView };

import type { Database } from "../store/database.js";
import { hashPassword } from "./password-hasher.js";
import { roleIn } from "./project-access.js";
import { assertRole } from "./require-role.js";

export interface NewMember {
  email: string;
  role: Role;
  /** With `password`: provisions the user in the tenant when the email is new. */
  fullName?: string | undefined;
  password?: string | undefined;
}

export interface ProjectView {
  id: string;
  name: string;
  tenantId: string | null;
  /** The caller's role in it. */
  role: Role;
  createdAt: Date;
}

/** Projects and their members (seed 002 /projects). Every method takes the caller's identity. */
export class ProjectService {
  constructor(
    private readonly database: Database,
    private readonly store: AccountStore,
  ) {}

  /** A user's projects; an API key sees its own project only. */
  async list(who: Identity): Promise<ProjectView[]> {
    const db = this.database.db;
    if (who.principal.kind !== "user") return [await this.get(who, who.projectId)];
    const out: ProjectView[] = [];
    for (const m of await this.store.memberships(db, who.principal.id)) out.push(await this.get(who, m.projectId));
    return out;
  }

  /** A new project in the user's tenant, owned by them. API keys belong to one project and cannot create one. */
  async create(who: Identity, name: string): Promise<ProjectView> {
    if (who.principal.kind !== "user") throw new ForbiddenError("only signed-in users create projects");
    const userId = who.principal.id;
    return this.database.db.transaction(async (tx) => {
      const user = await this.store.userById(tx, userId);
      if (!user) throw new ForbiddenError("only signed-in users create projects");
      const p = await this.store.insertProject(tx, { id: randomUUID(), name, tenantId: user.tenantId });
      await this.store.addMember(tx, p.id, userId, "owner");
      return { id: p.id, name: p.name, tenantId: p.tenantId, role: "owner" as const, createdAt: p.createdAt };
    });
  }

  async get(who: Identity, projectId: string): Promise<ProjectView> {
    const db = this.database.db;
    const role = await roleIn(db, this.store, who, projectId);
    const p = await this.store.project(db, projectId);
    if (!p) throw new NotFoundError("project not found");
    return { id: p.id, name: p.name, tenantId: p.tenantId, role, createdAt: p.createdAt };
  }

  async rename(who: Identity, projectId: string, name: string): Promise<ProjectView> {
    assertRole(await roleIn(this.database.db, this.store, who, projectId), "owner");
    await this.store.renameProject(this.database.db, projectId, name);
    return this.get(who, projectId);
  }

  /** Delete a project (owner). The default project, and a project that still holds incidents, stay. */
  async delete(who: Identity, projectId: string): Promise<void> {
    const db = this.database.db;
    assertRole(await roleIn(db, this.store, who, projectId), "owner");
    const p = await this.store.project(db, projectId);
    if (!p?.tenantId) throw new ForbiddenError("the default project cannot be deleted");
    try {
      await this.store.deleteProject(db, projectId);
    } catch (err) {
      // Incidents, runbooks and the like reference the project without cascading: refuse rather than lose them.
      throw new ConflictError("project still holds data (incidents, runbooks); delete them first", String(err));
    }
  }

  async members(who: Identity, projectId: string): Promise<MemberView[]> {
    await roleIn(this.database.db, this.store, who, projectId);
    return this.store.members(this.database.db, projectId);
  }

  /**
   * Add a user of the project's tenant (admin; only an owner grants owner). An email nobody uses yet, sent
   * with an initial password, provisions the account in the tenant: registering always creates a new tenant,
   * so this is how colleagues join one.
   */
  async addMember(who: Identity, projectId: string, m: NewMember): Promise<MemberView> {
    const db = this.database.db;
    const mine = await roleIn(db, this.store, who, projectId);
    assertRole(mine, "admin");
    if (m.role === "owner") assertRole(mine, "owner");
    const p = await this.store.project(db, projectId);
    if (!p?.tenantId) throw new ForbiddenError("the default project has no tenant to add users from");
    const email = m.email.trim().toLowerCase();
    const user = (await this.store.userByEmail(db, email)) ?? (await this.provision(p.tenantId, email, m));
    // A user of another tenant is as unknown here as one that does not exist.
    if (!user || user.tenantId !== p.tenantId) throw new NotFoundError("user not found");
    if (!(await this.store.addMember(db, projectId, user.id, m.role))) throw new ConflictError("already a member");
    return this.memberOrThrow(projectId, user.id);
  }

  async setRole(who: Identity, projectId: string, userId: string, role: Role): Promise<MemberView> {
    const db = this.database.db;
    const current = await this.guardChange(who, projectId, userId);
    if (role === "owner") assertRole(await roleIn(db, this.store, who, projectId), "owner");
    if (current === "owner" && role !== "owner") await this.keepAnOwner(projectId);
    await this.store.setRole(db, projectId, userId, role);
    return this.memberOrThrow(projectId, userId);
  }

  async removeMember(who: Identity, projectId: string, userId: string): Promise<void> {
    const current = await this.guardChange(who, projectId, userId);
    if (current === "owner") await this.keepAnOwner(projectId);
    await this.store.removeMember(this.database.db, projectId, userId);
  }

  /** Admin to change a member; only an owner changes an owner. Returns the member's current role. */
  private async guardChange(who: Identity, projectId: string, userId: string): Promise<Role> {
    const db = this.database.db;
    const mine = await roleIn(db, this.store, who, projectId);
    assertRole(mine, "admin");
    const target = await this.store.roleOf(db, projectId, userId);
    if (!target) throw new NotFoundError("member not found");
    if (target === "owner") assertRole(mine, "owner");
    return target;
  }

  private async provision(tenantId: string, email: string, m: NewMember): Promise<UserRow | null> {
    if (!m.password) return null;
    return this.store.insertUser(this.database.db, {
      id: randomUUID(),
      tenantId,
      email,
      fullName: m.fullName ?? email,
      passwordHash: await hashPassword(m.password),
    });
  }

  private async keepAnOwner(projectId: string): Promise<void> {
    if ((await this.store.ownerCount(this.database.db, projectId)) <= 1) {
      throw new ConflictError("a project keeps at least one owner");
    }
  }

  private async memberOrThrow(projectId: string, userId: string): Promise<MemberView> {
    const m = await this.store.member(this.database.db, projectId, userId);
    if (!m) throw new NotFoundError("member not found");
    return m;
  }
}
