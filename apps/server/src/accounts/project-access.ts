import type { Identity, Role } from "../ports/identity.js";
import { NotFoundError } from "../shared/errors.js";
import type { AccountStore } from "../store/account-store.js";
import type { Db } from "../store/database.js";

/**
 * The caller's role in a project, or 404: a user's membership, or an API key's role in its own project.
 * A project the caller cannot see is "not found", never "forbidden", so ids of other tenants leak nothing.
 */
export async function roleIn(db: Db, store: AccountStore, who: Identity, projectId: string): Promise<Role> {
  const role =
    who.principal.kind === "user"
      ? await store.roleOf(db, projectId, who.principal.id)
      : projectId === who.projectId
        ? who.principal.role
        : null;
  if (!role) throw new NotFoundError("project not found");
  return role;
}
