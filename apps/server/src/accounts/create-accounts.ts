import type { Authenticator } from "../ports/identity.js";
import { AccountStore } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import { ApiKeyService } from "./api-key-service.js";
import { AuthService } from "./auth-service.js";
import { compositeAuthenticator, projectKeyAuthenticator, userTokenAuthenticator } from "./authenticators.js";
import { LoginThrottle } from "./login-throttle.js";
import { ProjectService } from "./project-service.js";
import { TokenIssuer } from "./token-issuer.js";

export interface Accounts {
  auth: AuthService;
  projects: ProjectService;
  apiKeys: ApiKeyService;
  /** Bootstrap key first (no database round trip), then project keys, then users' access tokens. */
  authenticator: Authenticator;
}

/** The accounts services over one database and signing secret, behind the given bootstrap authenticator. */
export function createAccounts(database: Database, jwtSecret: string, bootstrap: Authenticator): Accounts {
  const store = new AccountStore();
  const tokens = new TokenIssuer(jwtSecret);
  return {
    auth: new AuthService(database, store, tokens, new LoginThrottle()),
    projects: new ProjectService(database, store),
    apiKeys: new ApiKeyService(database, store),
    authenticator: compositeAuthenticator([
      bootstrap,
      projectKeyAuthenticator(database, store),
      userTokenAuthenticator(database, store, tokens),
    ]),
  };
}
