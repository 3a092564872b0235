import { Redis } from 'ioredis';
import { RedisRateLimiter } from '../../src/adapters/rate-limit/redis-rate-limiter.js';
import { deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis.js';
import { describeWith, redisAvailability, TEST_REDIS_URL } from '../support/services.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

describeWith('Redis', await redisAvailability())('Redis', () => {
  // Two connections under one prefix: two instances of the bot sharing the limits.
  rateLimiterContract('Redis sorted sets, two instances', async () => {
    const prefix = uniqueRedisPrefix();
    const connections = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    return {
      instances: [new RedisRateLimiter({ redis: connections[0]!, prefix }), new RedisRateLimiter({ redis: connections[1]!, prefix })],
      async cleanup() {
        for (const connection of connections) connection.disconnect();
        await deleteRedisPrefix(prefix);
      },
    };
  });
});
