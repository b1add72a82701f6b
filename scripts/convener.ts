import { buildApp } from '../src/app.tsx';
import { ConfigError, loadConfig } from '../src/config.ts';
import { DataDirLockedError } from '../src/db/lock.ts';
import { isAppError } from '../src/platform/errors.ts';
import { translator } from '../src/platform/i18n.ts';
import { parse } from '../src/platform/validation.ts';
import { ConvenerCommand } from '../src/modules/accounts/accounts.schemas.ts';

/**
 * `npm run convener -- create EMAIL [NAME]` makes a convener's account and prints a one-time link
 * (60 minutes) to choose its password; `npm run convener -- reset EMAIL` prints one for an
 * existing convener. For the first convener of a new server, and for the demo convener whose
 * password, shown once, is lost. The link is printed for whoever runs this on the server, never
 * mailed or logged. Exit 0 with the link, 1 when refused (the reason said), 2 when it could not run.
 */
const USAGE = 'Usage: npm run convener -- create EMAIL [NAME]   (a new convener; NAME is what others see, "Convener" if not given)\n       npm run convener -- reset EMAIL           (a convener who lost their password)\n';
let exitCode = 2;
const [mode, email, ...nameWords] = process.argv.slice(2);
if ((mode !== 'create' && mode !== 'reset') || !email) {
  process.stderr.write(USAGE);
} else if (process.env.DATABASE_URL && !process.env.SECRET_KEY) {
  // Without the server's key the audit entries this writes would be keyed with another one, and
  // `npm run audit:verify` would then report the log as broken.
  process.stderr.write('SECRET_KEY is not set: run this with the server\'s own environment (DATABASE_URL, SECRET_KEY, PUBLIC_URL).\n');
} else {
  if (!process.env.PUBLIC_URL) process.stderr.write('PUBLIC_URL is not set: the link points at http://localhost:3000. Run this with the server\'s own environment for a link people can open.\n');
  try {
    // No jobs here: the server's own process takes them. The log to stderr: stdout holds only the link.
    const config = loadConfig({ ...process.env, JOBS: 'false' });
    const built = await buildApp({ config, logStream: process.stderr });
    try {
      const displayName = nameWords.join(' ').trim();
      const { link } = await built.services.accounts.convenerLink(mode, parse(ConvenerCommand, { email, ...(mode === 'create' && displayName ? { displayName } : {}) }));
      process.stdout.write(
        `${mode === 'create' ? `A convener account for ${email} is made.` : `A new link for the convener ${email}.`}\n` +
          `Open this link within 60 minutes to choose the password; it works once:\n  ${link}\n`,
      );
      exitCode = 0;
    } catch (err) {
      if (!isAppError(err)) throw err;
      const t = translator('en');
      const fields = Object.values(err.fields ?? {}).map((f) => t(f.key, f.values));
      process.stderr.write(`${[...fields, ...(fields.length === 0 ? [t(err.messageKey)] : [])].join('\n')}\n`);
      exitCode = 1;
    } finally {
      await built.app.close();
    }
  } catch (err) {
    const known = err instanceof ConfigError || err instanceof DataDirLockedError;
    process.stderr.write(`${known ? (err as Error).message : `Could not run: ${(err as Error).message}`}\n`);
    exitCode = 2;
  }
}
process.exitCode = exitCode;
