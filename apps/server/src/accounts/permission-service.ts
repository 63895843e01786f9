import type { UserPermissions } from "@aegis/contracts";
import type { Identity } from "../ports/identity.js";
import { NotFoundError } from "../shared/errors.js";
import type { AccountStore } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import { roleIn } from "./project-access.js";
import { permissionsOf } from "./role-permissions.js";
import { atLeast } from "./roles.js";

/** Seed 003 `/security/permissions`: a user's role in each project the caller administers, and what it allows. */
export class PermissionService {
  constructor(
    private readonly database: Database,
    private readonly store: AccountStore,
  ) {}

  /**
   * Only projects where the caller is admin or above are shown; a user in none of them is "not found"
   * (whether they exist elsewhere is not the caller's business).
   */
  async of(who: Identity, email: string): Promise<UserPermissions> {
    const db = this.database.db;
    const user = await this.store.userByEmail(db, email.trim().toLowerCase());
    const memberships = user ? await this.store.memberships(db, user.id) : [];
    const visible = [];
    for (const m of memberships) {
      const mine = await roleIn(db, this.store, who, m.projectId).catch(() => null);
      if (mine && atLeast(mine, "admin")) visible.push(m);
    }
    if (!user || visible.length === 0) throw new NotFoundError(`no user ${email} in a project you administer`);
    return {
      user_email: user.email,
      user_id: user.id,
      full_name: user.fullName,
      projects: visible.map((m) => ({
        project_id: m.projectId,
        project_name: m.name,
        role: m.role,
        permissions: permissionsOf(m.role),
      })),
    };
  }
}
