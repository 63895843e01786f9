import { assertRole } from "../accounts/require-role.js";
import { PERMISSIONS, type Permission } from "../accounts/role-permissions.js";
import type { Principal } from "../ports/identity.js";
import { ForbiddenError } from "../shared/errors.js";

/**
 * Refuse a tool call the caller's role may not make, naming the permission (the same role table and
 * the same `assertRole` gate the HTTP routes use, so a viewer is refused here as it is there).
 */
export function requireToolPermission(principal: Principal, permission: Permission): void {
  try {
    assertRole(principal.role, PERMISSIONS[permission]);
  } catch (err) {
    if (!(err instanceof ForbiddenError)) throw err;
    throw new ForbiddenError(
      `missing permission ${permission} (requires the ${PERMISSIONS[permission]} role or above; this key's role is ${principal.role})`,
    );
  }
}
