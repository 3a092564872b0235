/**
 * One matrix-js-sdk client with Rust crypto whose state lives in the data
 * directory: `<dataDir>/matrix/<account>/indexeddb.v8` holds every IndexedDB
 * database of the session (the Rust crypto store — device identity, Olm and
 * Megolm sessions, cross-signing and backup secrets — and the SDK's sync
 * store — room state and the sync token).
 *
 * Node has no IndexedDB: each session gets its own fake-indexeddb factory,
 * filled from the snapshot file before the crypto starts and written back
 * (atomically) after syncs and at close. The device is never logged out:
 * logging out would delete its keys on the server.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { join } from 'node:path';
import {
  createClient,
  IndexedDBStore,
  MatrixScheduler,
  type ICreateClientOpts,
  type MatrixClient,
} from 'matrix-js-sdk';
// matrix-js-sdk's own crypto dependency (same module instance): only used to quiet its tracing.
import { LoggerLevel, Tracing } from '@matrix-org/matrix-sdk-crypto-wasm';
import { decodeRecoveryKey } from 'matrix-js-sdk/lib/crypto-api/recovery-key.js';
// matrix-js-sdk logs through loglevel (its dependency): route every named logger to ours.
import loglevel from 'loglevel';
import type { Logger } from '../../../core/ports/logger.js';
import { restoreDatabases, saveDatabases, type IDBFactoryLike } from './indexeddb-snapshot.js';

export interface MatrixSessionOptions {
  homeserverUrl: string;
  userId: string;
  accessToken: string;
  deviceId?: string;
  recoveryKey?: string;
  dataDir: string;
  logger: Logger;
  /** Whether the sync store may be written now (false while received events are still being handled). */
  canPersistSync: () => boolean;
}

const SYNC_DB = 'relais-matrix-sync';

/** The SDK's sync store, written only when we say so (see `canPersistSync`). */
class GatedIndexedDBStore extends IndexedDBStore {
  gate: () => boolean = () => true;
  override wantsSave(): boolean {
    return false;
  }
  override save(force?: boolean): Promise<void> {
    void force;
    return this.gate() ? super.save(true) : Promise.resolve();
  }
}

let sdkLoggingRouted = false;

/** Routes matrix-js-sdk's loglevel loggers to our logger at debug level (they may name rooms and users). */
export function routeSdkLogging(log: Logger): void {
  if (sdkLoggingRouted) return;
  sdkLoggingRouted = true;
  const sink = log.child({ scope: 'matrix-sdk' });
  const factory: loglevel.MethodFactory = () => (...args: unknown[]) => {
    const text = args.find((a): a is string => typeof a === 'string');
    sink.debug(text ? text.slice(0, 200) : 'sdk log');
  };
  loglevel.methodFactory = factory;
  loglevel.rebuild();
  for (const named of Object.values(loglevel.getLoggers())) {
    named.methodFactory = factory;
    named.rebuild();
  }
}

function sdkLoggerFor(log: Logger): NonNullable<ICreateClientOpts['logger']> {
  const sink = log.child({ scope: 'matrix-sdk' });
  const write = (...args: unknown[]): void => {
    const first = args[0];
    sink.debug(typeof first === 'string' ? first.slice(0, 200) : 'sdk log');
  };
  const make = (): NonNullable<ICreateClientOpts['logger']> => ({ trace: write, debug: write, info: write, warn: write, error: write, getChild: () => make() });
  return make();
}

/** The SDK turns the WASM tracing on at debug level, straight to the console: turn it off. */
export function quietCryptoTracing(): void {
  try {
    new Tracing(LoggerLevel.Error).turnOff();
  } catch {
    // Tracing may be unavailable in some builds: nothing to quiet then.
  }
}

/**
 * Runs the crypto initialisation with console debug/info muted: the SDK turns
 * the WASM tracing on at debug level (to the console) before we can turn it off.
 */
/* eslint-disable no-console -- muting, not logging: the console is restored right after */
export async function withQuietConsole<T>(work: () => Promise<T>): Promise<T> {
  const { debug, info, trace } = console;
  const mute = (): void => undefined;
  console.debug = mute;
  console.info = mute;
  console.trace = mute;
  try {
    return await work();
  } finally {
    quietCryptoTracing();
    console.debug = debug;
    console.info = info;
    console.trace = trace;
  }
}
/* eslint-enable no-console */

export class MatrixSession {
  client: MatrixClient | undefined;
  private factory: IDBFactoryLike | undefined;
  private store: GatedIndexedDBStore | undefined;
  private saving: Promise<void> = Promise.resolve();
  private saveQueued = false;
  /** Whether the sync store held a saved sync at start (an incremental sync follows). */
  resumed = false;
  /** Bytes written by the last snapshot. */
  lastSnapshotBytes = 0;
  private readonly log: Logger;

  constructor(private readonly options: MatrixSessionOptions) {
    this.log = options.logger.child({ scope: 'matrix-session' });
  }

  get snapshotFile(): string {
    const account = this.options.userId.replace(/[^A-Za-z0-9._-]/g, '_');
    return join(this.options.dataDir, 'matrix', account, 'indexeddb.v8');
  }

  /** Restores the stores, creates the client and starts the Rust crypto (no sync yet). */
  async open(): Promise<MatrixClient> {
    routeSdkLogging(this.options.logger);
    const factory = new IDBFactory() as unknown as IDBFactoryLike;
    this.factory = factory;
    const restored = await restoreDatabases(factory, this.snapshotFile);
    this.log.info({ restored }, restored ? 'crypto and sync stores restored from the data dir' : 'no saved crypto store: a new device identity will be created');
    // The Rust crypto store opens `globalThis.indexedDB`: point it at this session's databases.
    (globalThis as { indexedDB?: unknown }).indexedDB = factory;

    const store = new GatedIndexedDBStore({ indexedDB: factory as unknown as NonNullable<ConstructorParameters<typeof IndexedDBStore>[0]['indexedDB']>, dbName: SYNC_DB });
    store.gate = this.options.canPersistSync;
    this.store = store;
    let deviceId = this.options.deviceId;
    const recoveryKey = this.options.recoveryKey ? decodeRecoveryKey(this.options.recoveryKey) : undefined;
    const base: ICreateClientOpts = {
      baseUrl: this.options.homeserverUrl,
      userId: this.options.userId,
      accessToken: this.options.accessToken,
      store,
      // No client-side queue or retry: our sender honours M_LIMIT_EXCEEDED itself (one retry policy, not two).
      scheduler: new MatrixScheduler(() => -1, () => null),
      timelineSupport: false,
      logger: sdkLoggerFor(this.options.logger),
      ...(recoveryKey
        ? {
            cryptoCallbacks: {
              getSecretStorageKey: async ({ keys }: { keys: Record<string, unknown> }) => {
                const keyId = Object.keys(keys)[0];
                return keyId ? ([keyId, recoveryKey] as [string, Uint8Array]) : null;
              },
            },
          }
        : {}),
    };
    if (!deviceId) {
      const probe = createClient({ baseUrl: base.baseUrl, accessToken: base.accessToken!, userId: base.userId! });
      deviceId = (await probe.whoami()).device_id;
      if (!deviceId) throw new Error('the homeserver did not say which device the access token belongs to: set MATRIX_DEVICE_ID');
    }
    const client = createClient({ ...base, deviceId });
    this.client = client;
    await store.startup();
    this.resumed = Boolean(await store.getSavedSyncToken());
    await withQuietConsole(() => client.initRustCrypto({ useIndexedDB: true }));
    quietCryptoTracing();
    return client;
  }

  /**
   * With the recovery key: imports (or, on a fresh account, creates) the
   * cross-signing keys from secret storage, signs this device, and turns on
   * server-side key backup so another device of the bot can decrypt history.
   */
  async setUpCrossSigningAndBackup(): Promise<void> {
    const client = this.client;
    const crypto = client?.getCrypto();
    if (!client || !crypto || !this.options.recoveryKey) return;
    const recoveryKey = decodeRecoveryKey(this.options.recoveryKey);
    await crypto.bootstrapCrossSigning({
      // A first upload of cross-signing keys needs no interactive auth on Synapse; later ones do and
      // must be done from Element (docs/platforms/matrix.*.md).
      authUploadDeviceSigningKeys: async (makeRequest) => {
        await makeRequest(null);
      },
    });
    const hasDefaultKey = (await client.secretStorage.getDefaultKeyId()) !== null;
    const backup = await crypto.checkKeyBackupAndEnable();
    await crypto.bootstrapSecretStorage({
      ...(hasDefaultKey ? {} : { createSecretStorageKey: async () => ({ privateKey: recoveryKey, keyInfo: { name: 'Relais recovery key' } }) }),
      setupNewKeyBackup: !backup,
    });
    if (backup) await crypto.loadSessionBackupPrivateKeyFromSecretStorage().catch(() => undefined);
    await crypto.checkKeyBackupAndEnable();
    this.log.info({ crossSigned: await crypto.isCrossSigningReady() }, 'cross-signing and key backup set up');
  }

  /** Queues a snapshot of the stores (coalesced: at most one pending). */
  persist(): Promise<void> {
    if (this.saveQueued) return this.saving;
    this.saveQueued = true;
    this.saving = this.saving.then(async () => {
      this.saveQueued = false;
      await this.snapshot();
    });
    return this.saving;
  }

  private async snapshot(): Promise<void> {
    const factory = this.factory;
    if (!factory) return;
    try {
      await this.store?.save(true);
      this.lastSnapshotBytes = await saveDatabases(factory, this.snapshotFile);
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'saving the Matrix stores failed');
    }
  }

  /** Stops the client (never logs out), saves the stores one last time. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await this.persist();
    client.stopClient();
    await this.persist();
    this.client = undefined;
    this.factory = undefined;
  }
}
