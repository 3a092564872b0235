import { Redis } from 'ioredis';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { RedisLeaderLock } from '../../src/adapters/redis/redis-leader-lock.js';
import { deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis.js';
import { describeWith, redisAvailability, TEST_REDIS_URL } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';
import { leaderLockContract } from './leader-lock.contract.js';

const TTL_MS = 600;
const available = await redisAvailability();

describeWith('Redis', available)('Redis', () => {
  leaderLockContract(`SET NX PX with renewal (ttl ${TTL_MS} ms)`, async () => {
    const prefix = uniqueRedisPrefix();
    const connections: Redis[] = [];
    const locks: RedisLeaderLock[] = [];
    return {
      async instance() {
        // Few retries: a crashed instance's renewals must fail fast.
        const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
        redis.on('error', () => undefined);
        await redis.connect();
        connections.push(redis);
        const lock = new RedisLeaderLock({ redis, prefix, logger: createSilentLogger(), ttlMs: TTL_MS });
        locks.push(lock);
        return {
          lock,
          async crash() {
            redis.disconnect();
          },
        };
      },
      // Several renewals (every ttl/3) must happen meanwhile.
      holdMs: TTL_MS * 2,
      takeoverMs: TTL_MS * 10,
      async cleanup() {
        for (const lock of locks) await lock.close();
        for (const redis of connections) redis.disconnect();
        await deleteRedisPrefix(prefix);
      },
    };
  });

  describe('losing the key', () => {
    const prefix = uniqueRedisPrefix();
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    beforeAll(() => redis.connect());
    afterAll(async () => {
      redis.disconnect();
      await deleteRedisPrefix(prefix);
    });

    it('reports the lease lost when the key was taken by someone else, and release leaves their key alone', async () => {
      const lock = new RedisLeaderLock({ redis, prefix, logger: createSilentLogger(), ttlMs: TTL_MS });
      const lease = await lock.tryAcquire('sync');
      expect(lease).toBeDefined();
      await redis.set(`${prefix}:leader:sync`, 'someone-else', 'PX', 60_000);
      let lost = false;
      void lease!.lost.then(() => (lost = true));
      await waitFor(() => lost, TTL_MS * 5, 20);
      await lease!.release();
      expect(await redis.get(`${prefix}:leader:sync`)).toBe('someone-else');
    });
  });
});
