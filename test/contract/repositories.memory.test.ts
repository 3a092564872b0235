import { createInMemoryRepositories } from '../../src/adapters/memory/create-in-memory-repositories.js';
import { repositoriesContract } from './repositories.contract.js';

repositoriesContract('in-memory', async () => ({ repositories: createInMemoryRepositories(), cleanup: async () => undefined }));
