/**
 * `createPlatformServices` picks the implementations the deployment allows
 * (Redis, PostgreSQL server, embedded PGlite, memory), and `close()` gives
 * back what it opened (Redis connection, leader leases).
 */
import { Redis } from 'ioredis';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { PostgresLeaderLock } from '../../src/adapters/store/prisma/postgres-leader-lock.js';
import { createPlatformServices } from '../../src/composition/platform-services.js';
import { loadConfig } from '../../src/config.js';
import { UnavailableError } from '../../src/core/errors.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { openMigratedDatabase } from '../support/databases.js';
import { deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis.js';
import { describeWith, postgresAvailability, redisAvailability, TEST_REDIS_URL } from '../support/services.js';

const logger = createSilentLogger();
const clock = systemClock;
const [postgres, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);

describe('platform services by deployment', () => {
  it('keeps everything in memory with DATABASE_URL=memory://', async () => {
    const services = await createPlatformServices({ config: loadConfig({ DATABASE_URL: 'memory://' }), logger, clock });
    expect(services.description).toEqual({ dedup: 'memory', limiter: 'memory', state: 'memory', leaderLock: 'memory' });
    expect(await services.dedup.claim('slack:Ev1', 1000)).toBe('claimed');
    await services.close();
  });

  it('uses embedded PGlite for dedup and state, and in-process leadership', async () => {
    const test = await openMigratedDatabase('pglite');
    try {
      const services = await createPlatformServices({ config: loadConfig({}), database: test.database, logger, clock });
      expect(services.description).toEqual({ dedup: 'pglite', limiter: 'memory', state: 'pglite', leaderLock: 'memory' });
      expect(await services.dedup.claim('matrix:$e1', 60_000)).toBe('claimed');
      await services.state.set('matrix', 'sync', { token: 's1' });
      expect(await test.database.sql.query('SELECT key FROM processed_events')).toEqual([{ key: 'matrix:$e1' }]);
      expect(await test.database.sql.query('SELECT namespace, key, value FROM platform_state')).toEqual([
        { namespace: 'matrix', key: 'sync', value: { token: 's1' } },
      ]);
      await services.close();
    } finally {
      await test.cleanup();
    }
  }, 120_000);

  describeWith('PostgreSQL', postgres)('on a PostgreSQL server', () => {
    it('uses advisory-lock leadership, released by close()', async () => {
      const test = await openMigratedDatabase('postgres');
      const other = new PostgresLeaderLock({ url: test.location, logger });
      try {
        const services = await createPlatformServices({ config: loadConfig({ DATABASE_URL: test.location }), database: test.database, logger, clock });
        expect(services.description).toEqual({ dedup: 'postgres', limiter: 'memory', state: 'postgres', leaderLock: 'postgres' });
        const lease = await services.leaderLock.tryAcquire('matrix-sync');
        expect(lease).toBeDefined();
        expect(await other.tryAcquire('matrix-sync')).toBeUndefined();
        await services.close();
        await lease!.lost;
        const taken = await other.tryAcquire('matrix-sync');
        expect(taken).toBeDefined();
      } finally {
        await other.close();
        await test.cleanup();
      }
    });
  });

  describeWith('Redis', redis)('with Redis', () => {
    it('shares dedup, limits and leadership through Redis under REDIS_PREFIX, and closes its connection', async () => {
      const prefix = uniqueRedisPrefix();
      const probe = new Redis(TEST_REDIS_URL);
      try {
        const config = loadConfig({ DATABASE_URL: 'memory://', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix });
        const services = await createPlatformServices({ config, logger, clock });
        expect(services.description).toEqual({ dedup: 'redis', limiter: 'redis', state: 'memory', leaderLock: 'redis' });
        expect(await services.dedup.claim('teams:a1', 60_000)).toBe('claimed');
        await services.limiter.acquire('teams:conv:c1', [{ limit: 7, windowMs: 1000 }]);
        const lease = await services.leaderLock.tryAcquire('matrix-sync');
        expect(lease).toBeDefined();
        const keys = (await probe.keys(`${prefix}:*`)).sort();
        expect(keys).toEqual([`${prefix}:dedup:teams:a1`, `${prefix}:leader:matrix-sync`, `${prefix}:rl:{teams:conv:c1}:7/1000`]);
        await services.close();
        await lease!.lost;
        expect(await probe.exists(`${prefix}:leader:matrix-sync`)).toBe(0);
        // After close (or with Redis gone), callers get a transient coded error, not a driver error.
        await expect(services.dedup.claim('teams:a2', 1000)).rejects.toMatchObject({ code: 'redis.unavailable', transient: true });
        await expect(services.limiter.acquire('teams:conv:c1', [{ limit: 7, windowMs: 1000 }])).rejects.toBeInstanceOf(UnavailableError);
      } finally {
        probe.disconnect();
        await deleteRedisPrefix(prefix);
      }
    });
  });

  it('fails at start with a coded error when Redis does not answer', async () => {
    const config = loadConfig({ DATABASE_URL: 'memory://', REDIS_URL: 'redis://127.0.0.1:1' });
    await expect(createPlatformServices({ config, logger, clock })).rejects.toBeInstanceOf(UnavailableError);
  });
});
