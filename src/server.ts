import { buildApp } from './app.tsx';
import { ConfigError, loadConfig } from './config.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';
import { DataDirLockedError } from './db/lock.ts';

/** Entry point: check config, build the app, listen, load demo data on an empty database. */
/** Set once a signal asked the server to stop: what fails after that is the stopping, not a start. */
let closing = false;

async function main() {
  const config = loadConfig();
  const { app, platform, services } = await buildApp({ config });
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err: { message: (err as Error).message } }, 'could not close cleanly');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // Listening first: a port in use is said before demo data is loaded and its one-time password printed.
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') {
      // Another reason (a HOST this machine does not have): the database closed before the message.
      await app.close().catch(() => {});
      throw err;
    }
    // Said plainly, without a stack: a newcomer's usual first trip (another program, or an earlier copy, on the port).
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `Northstar could not start: port ${config.port} on ${config.host} is already in use by another program (perhaps Northstar, started before).\n` +
            `Stop that program, or start on another port: PORT=${config.port === 3000 ? 3001 : 3000} npm start\n`
        : `Northstar could not start: this user may not open port ${config.port} on ${config.host} (ports below 1024 need administrator rights).\n` +
            'Start on a port from 1024 up, e.g. PORT=3000 npm start, with a reverse proxy in front for port 80 or 443.\n',
    );
    await app.close();
    process.exit(1);
  }
  if (config.demoData) {
    const demo = await seedDemoIfEmpty(platform, services);
    if (demo) {
      // Printed once to the terminal (not to the log); only its hash is kept.
      process.stdout.write(
        `\nDemo data loaded (fictional organisations and people, marked "demo").\n` +
          `Sign in as the demo convener — this password is shown only now:\n` +
          `  email:    ${demo.email}\n  password: ${demo.password}\n\n`,
      );
    }
  }
  process.stdout.write(
    `Northstar is running at ${config.publicUrl.href} on ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`}` +
      `${platform.mailer.usesOutbox ? '; mail goes to the outbox (no SMTP_URL; password-reset mail is withheld there)' : ''}` +
      `${config.databaseMigrationUrl ? '; migrations ran as the owner role (DATABASE_MIGRATION_URL)' : ''}.\n`,
  );
}

main().catch((err) => {
  if (closing) return;
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Northstar could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
