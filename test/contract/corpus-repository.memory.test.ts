import { InMemoryCorpusRepository } from '../../src/adapters/memory/in-memory-corpus.repository.js';
import { corpusRepositoryContract } from './corpus-repository.contract.js';

corpusRepositoryContract('in-memory', async () => ({ corpus: new InMemoryCorpusRepository(), cleanup: async () => undefined }));
