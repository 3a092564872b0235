import { Redis } from 'ioredis';
import { RedisEventDeduplicator } from '../../src/adapters/redis/redis-event-deduplicator.js';
import { deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis.js';
import { describeWith, redisAvailability, TEST_REDIS_URL } from '../support/services.js';
import { eventDeduplicatorContract } from './event-deduplicator.contract.js';

describeWith('Redis', await redisAvailability())('Redis', () => {
  // Two connections under one prefix: two instances of the bot.
  eventDeduplicatorContract('Redis, two connections', async () => {
    const prefix = uniqueRedisPrefix();
    const connections = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    return {
      instances: [new RedisEventDeduplicator({ redis: connections[0]!, prefix }), new RedisEventDeduplicator({ redis: connections[1]!, prefix })],
      async cleanup() {
        for (const connection of connections) connection.disconnect();
        await deleteRedisPrefix(prefix);
      },
    };
  });
});
