import type { Algorithm } from "@node-rs/argon2";

/** `Algorithm.Argon2id`: a const enum, which isolated modules cannot inline. */
const ARGON2ID = 2 as Algorithm;

/**
 * argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1): memory-hard, so a GPU
 * guessing stolen hashes pays 19 MiB per attempt. Parameters are stored in each PHC string, so raising
 * them later keeps old hashes verifiable.
 */
export const KDF = { algorithm: ARGON2ID, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * The native binding, loaded at the first password hashed or checked: a server that only takes alerts
 * and API keys never maps it (ADR 0025, sixteenth round).
 */
let binding: Promise<typeof import("@node-rs/argon2")> | undefined;
function argon2(): Promise<typeof import("@node-rs/argon2")> {
  binding ??= import("@node-rs/argon2");
  return binding;
}

export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password, KDF);
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  return (await argon2()).verify(phc, password).catch(() => false);
}

let dummy: Promise<string> | undefined;
/**
 * A hash of nothing, verified when the email is unknown so a miss costs as long as a wrong password.
 * Made at the first login (which then also pays for making it), not at start.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword("aegis-dummy-password");
  return dummy;
}
