import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { eventDeduplicatorContract } from './event-deduplicator.contract.js';

eventDeduplicatorContract('in-memory (one process)', async () => {
  const dedup = new InMemoryEventDeduplicator();
  return { instances: [dedup, dedup], cleanup: async () => undefined };
});
