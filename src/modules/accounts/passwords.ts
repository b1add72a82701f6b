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

// ---- strength: common and easily guessed passwords -----------------------------------------

/** The library's warnings, grouped into the few reasons our catalogs explain. */
const WARNING_KEYS: Record<string, string> = {
  topTen: 'errors.passwordCommon',
  topHundred: 'errors.passwordCommon',
  common: 'errors.passwordCommon',
  similarToCommon: 'errors.passwordCommon',
  pwned: 'errors.passwordCommon',
  straightRow: 'errors.passwordPattern',
  keyPattern: 'errors.passwordPattern',
  simpleRepeat: 'errors.passwordPattern',
  extendedRepeat: 'errors.passwordPattern',
  sequences: 'errors.passwordPattern',
  recentYears: 'errors.passwordDates',
  dates: 'errors.passwordDates',
  wordByItself: 'errors.passwordWords',
  namesByThemselves: 'errors.passwordWords',
  commonNames: 'errors.passwordWords',
  userInputs: 'errors.passwordPersonal',
};

type Checker = { check(password: string, userInputs?: (string | number)[]): { score: number; feedback: { warning: string | null } } };
let checker: Promise<Checker> | undefined;

/**
 * zxcvbn-ts with its common-password and English dictionaries, loaded once on first use (they
 * take most of a second and several MB; a server that never sets a password never loads them).
 * Translations map each warning to its own key, so the reason can be said in our catalogs.
 */
function strengthChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const keys = <T extends Record<string, string>>(o: T) => Object.fromEntries(Object.keys(o).map((k) => [k, k])) as T;
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: { ...en.translations, warnings: keys(en.translations.warnings) },
      // Bounded work per check: the estimate is synchronous, and with the library's defaults a
      // 256-character "ab1!ab1!…" takes seconds. 64 characters that score 3 are strong anyway.
      maxLength: STRENGTH_MAX_LENGTH,
      l33tMaxSubstitutions: 12,
    });
  })();
  return checker;
}

const STRENGTH_MAX_LENGTH = 64;
export const MIN_STRENGTH = 3; // zxcvbn's "safely unguessable": about 10^8 guesses or more

/**
 * Why a new password is refused, or undefined when it is fine. `personal` are words the page
 * knows about the person (their name, pseudonym, email), which make a password easier to guess.
 */
export async function weakPasswordReason(password: string, personal: (string | null | undefined)[] = []): Promise<string | undefined> {
  const zxcvbn = await strengthChecker();
  const inputs = personal
    .filter((x): x is string => Boolean(x))
    .flatMap((x) => [x, ...x.split(/[@.\s_-]+/)])
    .map((x) => x.toLowerCase())
    .filter((x) => x.length >= 3);
  const result = zxcvbn.check(password.slice(0, PASSWORD_MAX), inputs);
  if (result.score >= MIN_STRENGTH) return undefined;
  return (result.feedback.warning && WARNING_KEYS[result.feedback.warning]) || 'errors.passwordWeak';
}
