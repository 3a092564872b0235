import { InMemoryLeaderLock } from '../../src/adapters/memory/in-memory-leader-lock.js';
import { leaderLockContract } from './leader-lock.contract.js';

// Also the lock of embedded PGlite: one data directory is served by one process.
leaderLockContract('in-memory (one process)', async () => {
  const lock = new InMemoryLeaderLock();
  return { instance: async () => ({ lock }), holdMs: 100, takeoverMs: 0, cleanup: async () => undefined };
});
