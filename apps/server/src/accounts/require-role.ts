import type { Role } from "../ports/identity.js";
import { ForbiddenError } from "../shared/errors.js";
import { atLeast } from "./roles.js";

/** Refuse (403) a caller whose role is below `min`. */
export function assertRole(role: Role, min: Role): void {
  if (!atLeast(role, min)) throw new ForbiddenError(`requires the ${min} role or above`);
}
