import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

rateLimiterContract('in-memory (one process)', async () => {
  const limiter = new InMemoryRateLimiter();
  return { instances: [limiter, limiter], cleanup: async () => undefined };
});
