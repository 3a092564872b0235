/**
 * The `relais` command (package.json "bin"): start the bot, apply
 * migrations, check an installation. Each sub-command prints for people and
 * exits non-zero on failure.
 */
import { Command } from 'commander';
import { formatTable } from './cli/table.js';
import { runDoctor, type CheckStatus } from './cli/doctor.js';
import { registerAssistantCommands } from './cli/assistant-commands.js';
import { registerCorpusCommands } from './cli/corpus-commands.js';
import { registerSurveyCommands } from './cli/survey-commands.js';
import { registerTeamCommands } from './cli/team-commands.js';
import { ConfigError, loadConfig, type RelaisConfig } from './config.js';
import { createPinoLogger } from './adapters/log/pino-logger.js';
import { openDatabase } from './adapters/store/prisma/database.js';
import { migrate, readMigrations } from './adapters/store/prisma/migrator.js';
import { MIGRATIONS_DIR, runServer } from './main.js';

// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const STATUS_LABEL: Record<CheckStatus, string> = { ok: '✔ ok', off: '– off', warn: '! warning', error: '✘ error' };

function configOrExit(): RelaisConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error('See docs/configuration.md.');
      process.exit(78);
    }
    throw error;
  }
}

const program = new Command()
  .name('relais')
  .description('Relais — reflective assistant, surveys and logbook in Teams, Slack, Matrix and the web.')
  .showHelpAfterError();

program
  .command('start')
  .description('start the bot (HTTP server, web chat, jobs, configured platforms)')
  .action(async () => {
    await runServer();
  });

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('apply pending migrations (Relais also does it at every start)')
  .action(async () => {
    const config = configOrExit();
    if (config.database.kind === 'memory') {
      console.log('DATABASE_URL=memory:// — nothing to migrate.');
      return;
    }
    const logger = createPinoLogger({ level: 'warn' });
    try {
      const database = await openDatabase({ ...(config.database.url ? { url: config.database.url } : {}), dataDir: config.dataDir, poolSize: 1, shareWithRunning: true });
      try {
        const report = await migrate(database.sql, await readMigrations(MIGRATIONS_DIR), logger);
        console.log(`Database: ${database.kind} at ${database.location}`);
        console.log(report.applied.length > 0 ? `Applied: ${report.applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
        console.log(`Already applied: ${report.alreadyApplied.length}`);
      } finally {
        await database.close();
      }
    } catch (error) {
      console.error(`Migration failed: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  });

program
  .command('doctor')
  .description('show what this installation uses and what is missing')
  .option('--json', 'machine-readable output')
  .action(async (options: { json?: boolean }) => {
    const config = configOrExit();
    const checks = await runDoctor(config, MIGRATIONS_DIR);
    if (options.json) {
      console.log(JSON.stringify(checks, null, 2));
    } else {
      console.log(`Relais ${config.version} — doctor\n`);
      console.log(formatTable(['Component', 'Status', 'Detail'], checks.map((c) => [c.component, STATUS_LABEL[c.status], c.detail])));
    }
    if (checks.some((c) => c.status === 'error')) process.exitCode = 1;
  });

registerCorpusCommands(program, configOrExit);
registerAssistantCommands(program, configOrExit);
registerSurveyCommands(program, configOrExit);
registerTeamCommands(program, configOrExit);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Expected failures (bad file, unknown option value, database unavailable) get one clear line, not a stack.
  console.error(`relais: ${(error as Error).message}`);
  process.exitCode = 1;
}
