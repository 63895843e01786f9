import { createHash, randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type Database, openDatabase } from "../store/database.js";

/**
 * The databases every store test runs on: embedded PGlite always, and PostgreSQL when
 * TEST_DATABASE_URL is set. CI sets AEGIS_REQUIRE_POSTGRES=1 so a missing server fails instead of skipping.
 */
export function testDatabaseKinds(): ("pglite" | "postgres")[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.AEGIS_REQUIRE_POSTGRES === "1") {
    throw new Error("AEGIS_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
  }
  return url ? ["pglite", "postgres"] : ["pglite"];
}

let template: string | null = null;

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

/** A fingerprint of the migrations: a template made from other migrations is another template. */
function migrationsHash(): string {
  const h = createHash("sha256");
  for (const f of readdirSync(MIGRATIONS, { recursive: true, encoding: "utf8" }).sort()) {
    const path = join(MIGRATIONS, f);
    if (statSync(path).isFile()) h.update(f).update(readFileSync(path));
  }
  return h.digest("hex").slice(0, 16);
}

/**
 * A migrated PGlite data dir, copied for each test (creating one takes seconds). It is shared by every
 * test process and run with the same migrations: built aside, then renamed into place (the first
 * process wins; the others use its copy), so the temp dir holds one, not one per test file.
 */
async function pgliteTemplate(): Promise<string> {
  if (template && existsSync(template)) return template;
  const final = join(tmpdir(), `aegis-pglite-template-${migrationsHash()}`);
  if (!existsSync(join(final, "PG_VERSION"))) {
    const dir = mkdtempSync(join(tmpdir(), "aegis-pglite-building-"));
    const db = await openDatabase({ pgliteDir: dir });
    await db.close();
    try {
      renameSync(dir, final);
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  template = final;
  return final;
}

export interface TestDatabase {
  database: Database;
  /** Connection settings a server process under test can use for the same database. */
  url?: string;
  pgliteDir?: string;
  cleanup(): Promise<void>;
}

/** A fresh, migrated, empty database of the given kind. */
export async function freshDatabase(kind: "pglite" | "postgres"): Promise<TestDatabase> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "aegis-pglite-"));
    cpSync(await pgliteTemplate(), dir, { recursive: true });
    const database = await openDatabase({ pgliteDir: dir });
    return {
      database,
      pgliteDir: dir,
      cleanup: async () => {
        await database.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL as string;
  const name = `aegis_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await openDatabase({ url });
  return {
    database,
    url,
    cleanup: async () => {
      await database.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
