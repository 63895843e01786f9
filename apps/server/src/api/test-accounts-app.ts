import type { FastifyInstance } from "fastify";
import { createAccounts } from "../accounts/create-accounts.js";
import type { Database } from "../store/database.js";
import { adminKeyAuthenticator } from "./admin-key-authenticator.js";
import type { AppDeps } from "./app-deps.js";
import { injectApp, KEY } from "./test-inject-app.js";

/** The app over real accounts on `database` (bootstrap key `KEY` owns the default project); other services faked. */
export async function accountsApp(database: Database, deps: Partial<AppDeps> = {}): Promise<FastifyInstance> {
  const { authenticator, ...accounts } = createAccounts(
    database,
    "test-jwt-secret-0123456789abcdef-0123456789",
    adminKeyAuthenticator(KEY, "default"),
  );
  return injectApp({ authenticator, accounts, ...deps });
}

/** Register a user (and tenant, and first project); returns the bearer header and ids. */
export async function registerUser(app: FastifyInstance, email: string, tenant = `${email} Inc`) {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/register",
    payload: { email, password: "correct horse battery", full_name: email.split("@")[0], tenant_name: tenant },
  });
  if (res.statusCode !== 200) throw new Error(`register ${email}: ${res.statusCode} ${res.body}`);
  const body = res.json();
  const me = await app.inject({ url: "/api/v1/auth/me", headers: bearer(body.access_token) });
  return {
    userId: body.user.id as string,
    tenantId: body.tenant.id as string,
    projectId: me.json().user.project_id as string,
    headers: bearer(body.access_token),
    refreshToken: body.refresh_token as string,
  };
}

/** Provision a user into a project with a role (as its owner) and sign them in. */
export async function memberWithRole(
  app: FastifyInstance,
  owner: Record<string, string>,
  projectId: string,
  email: string,
  role: string,
) {
  const add = await app.inject({
    method: "POST",
    url: `/api/v1/projects/${projectId}/members`,
    headers: owner,
    payload: { email, role, password: "correct horse battery" },
  });
  if (add.statusCode !== 201) throw new Error(`add ${email}: ${add.statusCode} ${add.body}`);
  const login = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password: "correct horse battery" },
  });
  return { userId: add.json().user_id as string, headers: bearer(login.json().access_token) };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
