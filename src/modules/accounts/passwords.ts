import { hash, verify } from '@node-rs/argon2';
import generatePassphrase from 'eff-diceware-passphrase';
import { PASSWORD_MAX } from './accounts.schemas.ts';

// OWASP's Argon2id baseline (19 MiB, 2 passes); about 30 ms on these machines.
// algorithm 2 is Argon2id (a const enum in the typings, which our module settings cannot import).
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password.slice(0, PASSWORD_MAX), OPTIONS);
}

// Verified against when an account does not exist, so both paths cost the same time.
const DUMMY = hash('northstar-timing-equaliser', OPTIONS);

export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  const candidate = password.slice(0, PASSWORD_MAX);
  try {
    if (!stored) {
      await verify(await DUMMY, candidate);
      return false;
    }
    return await verify(stored, candidate);
  } catch {
    return false;
  }
}

/** Five words from the EFF large list (64 bits), easy to write down and read aloud. */
export function newPassphrase(): string {
  return generatePassphrase(5).join('-');
}
