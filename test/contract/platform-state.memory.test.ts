import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { platformStateContract } from './platform-state.contract.js';

platformStateContract('in-memory (one process)', async () => {
  const store = new InMemoryPlatformStateStore();
  return { instances: [store, store], cleanup: async () => undefined };
});
