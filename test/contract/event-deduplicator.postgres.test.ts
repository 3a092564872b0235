import { tmpdir } from 'node:os';
import { openDatabase } from '../../src/adapters/store/prisma/database.js';
import { PostgresEventDeduplicator } from '../../src/adapters/store/prisma/postgres-event-deduplicator.js';
import { openMigratedDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { eventDeduplicatorContract } from './event-deduplicator.contract.js';

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  // Two connection pools on one database: two instances of the bot.
  eventDeduplicatorContract('PostgreSQL server, two pools', async () => {
    const first = await openMigratedDatabase('postgres');
    const second = await openDatabase({ url: first.location, dataDir: tmpdir() });
    return {
      instances: [new PostgresEventDeduplicator(first.database.sql), new PostgresEventDeduplicator(second.sql)],
      async cleanup() {
        await second.close();
        await first.cleanup();
      },
    };
  });
});
