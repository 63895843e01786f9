import { type Algorithm, hash, verify } from "@node-rs/argon2";

/** `Algorithm.Argon2id`: a const enum, which isolated modules cannot inline. */
const ARGON2ID = 2 as Algorithm;

/**
 * argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1): memory-hard, so a GPU
 * guessing stolen hashes pays 19 MiB per attempt. Parameters are stored in each PHC string, so raising
 * them later keeps old hashes verifiable.
 */
export const KDF = { algorithm: ARGON2ID, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, KDF);
}

export function verifyPassword(phc: string, password: string): Promise<boolean> {
  return verify(phc, password).catch(() => false);
}

/** A hash of nothing, verified when the email is unknown so a miss costs as long as a wrong password. */
export const DUMMY_HASH = hashPassword("aegis-dummy-password");
