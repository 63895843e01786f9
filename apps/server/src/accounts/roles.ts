import type { Role } from "../ports/identity.js";

export const ROLES = ["owner", "admin", "member", "viewer"] as const satisfies readonly Role[];

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** True when `role` grants at least what `min` grants (owner > admin > member > viewer). */
export function atLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}
