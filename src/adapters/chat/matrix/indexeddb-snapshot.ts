/**
 * Saves the IndexedDB databases of an in-process IndexedDB implementation
 * (fake-indexeddb) to one file, and restores them, so that matrix-js-sdk's
 * Rust crypto store (device keys, Olm and Megolm sessions) and its sync
 * store outlive the process.
 *
 * The file holds, per database, its version, object stores (key path, auto
 * increment, indexes) and records, serialised with `v8.serialize` (keeps
 * Uint8Arrays, Maps, Dates). Writes go to a temporary file that is fsynced,
 * then renamed over the previous snapshot: a crash leaves either the old or
 * the new snapshot, never half of one.
 */
import { open, readFile, rename, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';

// Minimal structural IndexedDB types: the project compiles without the DOM library.
type IDBValidKey = unknown;
interface IDBRequest<T = unknown> {
  result: T;
  error: unknown;
  onsuccess: ((this: unknown) => void) | null;
  onerror: ((this: unknown) => void) | null;
}
interface IDBOpenDBRequest extends IDBRequest<IDBDatabase> {
  onupgradeneeded: ((this: unknown) => void) | null;
}
interface IDBIndex {
  keyPath: unknown;
  unique: boolean;
  multiEntry: boolean;
}
interface IDBObjectStore {
  keyPath: unknown;
  autoIncrement: boolean;
  indexNames: Iterable<string>;
  index(name: string): IDBIndex;
  getAll(): IDBRequest<unknown[]>;
  getAllKeys(): IDBRequest<IDBValidKey[]>;
  put(value: unknown, key?: IDBValidKey): IDBRequest;
  createIndex(name: string, keyPath: string | string[], options: { unique: boolean; multiEntry: boolean }): IDBIndex;
}
interface IDBTransaction {
  objectStore(name: string): IDBObjectStore;
  error: unknown;
  oncomplete: ((this: unknown) => void) | null;
  onerror: ((this: unknown) => void) | null;
  onabort: ((this: unknown) => void) | null;
}
interface IDBDatabase {
  version: number;
  objectStoreNames: Iterable<string>;
  transaction(names: string[], mode: 'readonly' | 'readwrite'): IDBTransaction;
  createObjectStore(name: string, options: { keyPath?: string | string[]; autoIncrement: boolean }): IDBObjectStore;
  close(): void;
}
/** The part of `IDBFactory` used here (fake-indexeddb's factory satisfies it). */
export interface IDBFactoryLike {
  open(name: string, version?: number): IDBOpenDBRequest;
  deleteDatabase(name: string): IDBRequest;
  databases(): Promise<{ name?: string; version?: number }[]>;
}
type IDBFactory = IDBFactoryLike;

interface StoreSnapshot {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
  keys: IDBValidKey[];
  values: unknown[];
}

interface DatabaseSnapshot {
  name: string;
  version: number;
  stores: StoreSnapshot[];
}

interface SnapshotFile {
  format: 1;
  savedAt: string;
  databases: DatabaseSnapshot[];
}

const promised = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject((request.error as Error | null) ?? new Error('IndexedDB request failed'));
  });

function openExisting(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject((request.error as Error | null) ?? new Error(`cannot open ${name}`));
  });
}

async function snapshotDatabase(factory: IDBFactory, name: string): Promise<DatabaseSnapshot> {
  const db = await openExisting(factory, name);
  try {
    const storeNames = [...db.objectStoreNames];
    const stores: StoreSnapshot[] = [];
    if (storeNames.length > 0) {
      // One read transaction over every store: a consistent picture of the database.
      const tx = db.transaction(storeNames, 'readonly');
      for (const storeName of storeNames) {
        const store = tx.objectStore(storeName);
        const [keys, values] = await Promise.all([promised(store.getAllKeys()), promised(store.getAll())]);
        stores.push({
          name: storeName,
          keyPath: store.keyPath as string | string[] | null,
          autoIncrement: store.autoIncrement,
          indexes: [...store.indexNames].map((indexName) => {
            const index = store.index(indexName);
            return { name: indexName, keyPath: index.keyPath as string | string[], unique: index.unique, multiEntry: index.multiEntry };
          }),
          keys,
          values,
        });
      }
    }
    return { name, version: db.version, stores };
  } finally {
    db.close();
  }
}

/** Names of the databases `factory` holds that `include` accepts. */
export async function listDatabases(factory: IDBFactory, include: (name: string) => boolean = () => true): Promise<string[]> {
  const infos = await factory.databases();
  return infos.map((i) => i.name).filter((n): n is string => typeof n === 'string' && include(n));
}

/** Writes every database of `factory` accepted by `include` to `file`, atomically. */
export async function saveDatabases(factory: IDBFactory, file: string, include: (name: string) => boolean = () => true): Promise<number> {
  const names = await listDatabases(factory, include);
  const databases: DatabaseSnapshot[] = [];
  for (const name of names) databases.push(await snapshotDatabase(factory, name));
  const snapshot: SnapshotFile = { format: 1, savedAt: new Date().toISOString(), databases };
  const bytes = serialize(snapshot);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return bytes.length;
}

/** Recreates the databases saved in `file` inside `factory`; false when there is no file. */
export async function restoreDatabases(factory: IDBFactory, file: string): Promise<boolean> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const snapshot = deserialize(bytes) as SnapshotFile;
  if (snapshot.format !== 1) throw new Error(`unknown IndexedDB snapshot format ${String(snapshot.format)}`);
  for (const database of snapshot.databases) await restoreDatabase(factory, database);
  return true;
}

async function restoreDatabase(factory: IDBFactory, snapshot: DatabaseSnapshot): Promise<void> {
  await promised(factory.deleteDatabase(snapshot.name));
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(snapshot.name, snapshot.version);
    request.onupgradeneeded = () => {
      const upgrade = request.result;
      for (const store of snapshot.stores) {
        const created = upgrade.createObjectStore(store.name, {
          ...(store.keyPath !== null ? { keyPath: store.keyPath } : {}),
          autoIncrement: store.autoIncrement,
        });
        for (const index of store.indexes) created.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject((request.error as Error | null) ?? new Error(`cannot restore ${snapshot.name}`));
  });
  try {
    if (snapshot.stores.length === 0) return;
    const tx = db.transaction(snapshot.stores.map((s) => s.name), 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject((tx.error as Error | null) ?? new Error('restore transaction failed'));
      tx.onabort = () => reject((tx.error as Error | null) ?? new Error('restore transaction aborted'));
    });
    for (const store of snapshot.stores) {
      const target = tx.objectStore(store.name);
      store.values.forEach((value, i) => {
        if (store.keyPath !== null) target.put(value);
        else target.put(value, store.keys[i]);
      });
    }
    await done;
  } finally {
    db.close();
  }
}
