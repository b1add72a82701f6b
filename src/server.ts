import { buildApp } from './app.tsx';
import { ConfigError, loadConfig } from './config.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';
import { DataDirLockedError } from './db/lock.ts';

/** Entry point: check config, build the app, load demo data on an empty database, listen. */
async function main() {
  const config = loadConfig();
  const { app, platform, services } = await buildApp({ config });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

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
  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(
    `Northstar is running at ${config.publicUrl.href} on ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`}` +
      `${platform.mailer.usesOutbox ? '; mail goes to the outbox (no SMTP_URL; password-reset mail is withheld there)' : ''}` +
      `${config.databaseMigrationUrl ? '; migrations ran as the owner role (DATABASE_MIGRATION_URL)' : ''}.\n`,
  );
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Northstar could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
