import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../config/config.js";

const DEPLOY = resolve(fileURLToPath(import.meta.url), "../../../../../deploy");

/** `${VAR:-default}` and `${VAR:?message}` as Compose substitutes them, from `env`. */
function substitute(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?::-([^}]*)|:\?([^}]*))?\}/g,
    (_, name: string, fallback?: string, required?: string) => {
      const v = env[name];
      if (v !== undefined && v !== "") return v;
      if (required !== undefined) throw new Error(`${name}: ${required}`);
      return fallback ?? "";
    },
  );
}

it("docker-compose.yml: AegisOps waits for a healthy PostgreSQL it reaches with the same credentials, on a configuration the server accepts", () => {
  const compose = parse(readFileSync(resolve(DEPLOY, "docker-compose.yml"), "utf8"));
  expect(Object.keys(compose.services).sort()).toEqual(["aegisops", "postgres"]);
  const app = compose.services.aegisops;
  const db = compose.services.postgres;
  expect(app.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  expect(db.healthcheck.test.join(" ")).toContain("pg_isready");
  expect(app.build.dockerfile).toBe("deploy/Dockerfile");
  expect(readFileSync(resolve(DEPLOY, "Dockerfile"), "utf8")).toMatch(
    /CMD \["node", "apps\/server\/dist\/cli\/main.js", "start"\]/,
  );

  const env = { AEGIS_API_KEY: "compose-key-0123456789", POSTGRES_PASSWORD: "s3cret" };
  const appEnv = Object.fromEntries(
    Object.entries(app.environment as Record<string, string>).map(([k, v]) => [k, substitute(String(v), env)]),
  );
  const dbEnv = Object.fromEntries(
    Object.entries(db.environment as Record<string, string>).map(([k, v]) => [k, substitute(String(v), env)]),
  );
  const url = new URL(appEnv.DATABASE_URL as string);
  expect(url.hostname).toBe("postgres");
  expect(decodeURIComponent(url.username)).toBe(dbEnv.POSTGRES_USER);
  expect(decodeURIComponent(url.password)).toBe(dbEnv.POSTGRES_PASSWORD);
  expect(url.pathname).toBe(`/${dbEnv.POSTGRES_DB}`);
  const config = loadConfig(appEnv);
  expect(app.ports).toContain(`${config.AEGIS_PORT}:${config.AEGIS_PORT}`);
  expect(() => substitute(app.environment.AEGIS_API_KEY, {})).toThrow(/AEGIS_API_KEY/);
});
