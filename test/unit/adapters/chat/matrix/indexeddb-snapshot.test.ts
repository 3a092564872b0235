/**
 * Saving and restoring IndexedDB databases (fake-indexeddb) to a file: stores,
 * key paths, indexes, out-of-line keys and binary values come back intact.
 */
import { IDBFactory } from 'fake-indexeddb';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restoreDatabases, saveDatabases, type IDBFactoryLike } from '../../../../../src/adapters/chat/matrix/indexeddb-snapshot.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function request<T>(req: Any): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error);
  });
}

describe('IndexedDB snapshot', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relais-idb-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips databases with key paths, indexes, out-of-line keys and bytes', async () => {
    const source = new IDBFactory() as Any;
    const open = source.open('crypto', 3);
    open.onupgradeneeded = () => {
      const db = open.result;
      const sessions = db.createObjectStore('sessions', { keyPath: ['sender', 'id'] });
      sessions.createIndex('bySender', 'sender', { unique: false });
      db.createObjectStore('kv');
    };
    const db = await request<Any>(open);
    const tx = db.transaction(['sessions', 'kv'], 'readwrite');
    tx.objectStore('sessions').put({ sender: 'alice', id: 's1', pickle: new Uint8Array([1, 2, 3]) });
    tx.objectStore('sessions').put({ sender: 'bob', id: 's2', pickle: new Uint8Array([4]) });
    tx.objectStore('kv').put({ when: new Date(5) }, 'account');
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();

    const file = join(dir, 'm', 'snapshot.v8');
    expect(await saveDatabases(source as IDBFactoryLike, file)).toBeGreaterThan(0);
    expect(await readdir(join(dir, 'm'))).toEqual(['snapshot.v8']); // no temporary file left

    const target = new IDBFactory() as Any;
    expect(await restoreDatabases(target as IDBFactoryLike, file)).toBe(true);
    const restored = await request<Any>(target.open('crypto'));
    expect(restored.version).toBe(3);
    const rtx = restored.transaction(['sessions', 'kv'], 'readonly');
    const byBob = await request<Any[]>(rtx.objectStore('sessions').index('bySender').getAll('bob'));
    expect(byBob).toEqual([{ sender: 'bob', id: 's2', pickle: new Uint8Array([4]) }]);
    expect(await request(rtx.objectStore('sessions').get(['alice', 's1']))).toEqual({ sender: 'alice', id: 's1', pickle: new Uint8Array([1, 2, 3]) });
    expect(await request(rtx.objectStore('kv').get('account'))).toEqual({ when: new Date(5) });
    restored.close();
  });

  it('reports a missing snapshot', async () => {
    expect(await restoreDatabases(new IDBFactory() as unknown as IDBFactoryLike, join(dir, 'none.v8'))).toBe(false);
  });
});
