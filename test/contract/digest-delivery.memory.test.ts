import { InMemoryDigestDeliveryStore } from '../../src/adapters/memory/in-memory-digest-delivery.store.js';
import { digestDeliveryContract } from './digest-delivery.contract.js';

digestDeliveryContract('in-memory (one process)', async () => {
  const store = new InMemoryDigestDeliveryStore();
  return { instances: [store, store], cleanup: async () => undefined };
});
