import type { Authenticator } from "../ports/identity.js";
import { NO_SECURITY_EVENTS, type SecurityEvents } from "../ports/security-events.js";
import { AccountStore } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import { ApiKeyService } from "./api-key-service.js";
import { AuthService } from "./auth-service.js";
import { compositeAuthenticator, projectKeyAuthenticator, userTokenAuthenticator } from "./authenticators.js";
import { LoginThrottle } from "./login-throttle.js";
import { PermissionService } from "./permission-service.js";
import { ProjectService } from "./project-service.js";
import { TokenIssuer } from "./token-issuer.js";

export interface Accounts {
  auth: AuthService;
  projects: ProjectService;
  apiKeys: ApiKeyService;
  /** Seed 003 `/security/permissions`. */
  permissions: PermissionService;
  /** Bootstrap key first (no database round trip), then project keys, then users' access tokens. */
  authenticator: Authenticator;
}

/** The accounts services over one database and signing secret, behind the given bootstrap authenticator. */
export function createAccounts(
  database: Database,
  jwtSecret: string,
  bootstrap: Authenticator,
  events: SecurityEvents = NO_SECURITY_EVENTS,
): Accounts {
  const store = new AccountStore();
  const tokens = new TokenIssuer(jwtSecret);
  return {
    auth: new AuthService(database, store, tokens, new LoginThrottle(), undefined, events),
    projects: new ProjectService(database, store),
    apiKeys: new ApiKeyService(database, store),
    permissions: new PermissionService(database, store),
    authenticator: compositeAuthenticator([
      bootstrap,
      projectKeyAuthenticator(database, store),
      userTokenAuthenticator(database, store, tokens),
    ]),
  };
}
