import type { Role } from "../ports/identity.js";
import { ROLES } from "./roles.js";

/**
 * What each role may do, as the minimum role of each permission. These are the gates the services and
 * routes enforce (`assertRole` in project-service.ts and api-key-service.ts, `requireRole` in the
 * approval and security routes); the security routes check through `requirePermission` on this table.
 */
export const PERMISSIONS = {
  "incidents.read": "viewer",
  "monitoring.read": "viewer",
  "incidents.write": "member",
  "remediations.approve": "member",
  "members.manage": "admin",
  "api_keys.manage": "admin",
  "audit.read": "admin",
  "security.read": "admin",
  "projects.rename": "owner",
  "projects.delete": "owner",
  "owners.manage": "owner",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** The permissions `role` holds, in the table's order. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => RANK[role] >= RANK[PERMISSIONS[p]]);
}

/** Every role with its permissions. */
export function roleTable(): { role: Role; permissions: Permission[] }[] {
  return ROLES.map((role) => ({ role, permissions: permissionsOf(role) }));
}
