import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's suggested minimum (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Passwords are compared in NFKC form, as the password rules read them (full-width digits equal ASCII ones). */
function normalise(password: string): string {
  return password.normalize('NFKC');
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), ARGON2_OPTIONS);
}

/** False for a wrong password or a malformed hash; never throws on bad input. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, normalise(password));
  } catch {
    return false;
  }
}

/** A hash of a random password: comparing against it costs the same as against a real one. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}
