/**
 * Serves an embedded PGlite database to several PostgreSQL clients (the
 * bot's own pool, the `relais` command) over a local socket.
 *
 * PGlite is one session. Clients therefore take turns, and a turn is a whole
 * exchange, never a single protocol message: everything a client sends up to
 * a synchronisation point (Sync, a simple Query, a Flush) runs as one unit,
 * so one client's Bind can never meet another client's Parse. While a
 * client's transaction is open, only that client is served. A client that
 * disconnects inside a transaction has it rolled back.
 *
 * (pglite-socket's own multiplexer interleaves individual messages between
 * clients outside explicit transactions, which binds parameters to the wrong
 * statement under concurrency; hence this server.)
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/** Protocol version 3.0 (startup) and the SSL / GSS / cancel request codes. */
const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Message types after which the client waits for an answer. */
const SYNC_POINTS = new Set(['S', 'Q', 'H', 'X', 'c', 'f']);

const ROLLBACK = (() => {
  const sql = Buffer.from('ROLLBACK\0', 'utf8');
  const message = Buffer.alloc(5 + sql.length);
  message.write('Q', 0, 'ascii');
  message.writeInt32BE(4 + sql.length, 1);
  sql.copy(message, 5);
  return message;
})();

interface Turn {
  connection: Connection;
  messages: Uint8Array[];
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Uint8Array[] = [];
  private started = false;
  closed = false;

  constructor(
    readonly socket: Socket,
    private readonly submit: (turn: Turn) => void,
  ) {}

  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const message = this.started ? this.nextTyped() : this.nextStartup();
      if (!message) return;
    }
  }

  /** Startup-phase messages have no type byte: a length, then a code. */
  private nextStartup(): boolean {
    if (this.buffer.length < 8) return false;
    const length = this.buffer.readInt32BE(0);
    if (this.buffer.length < length) return false;
    const code = this.buffer.readInt32BE(4);
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    if (code === SSL_REQUEST || code === GSS_REQUEST) {
      // Local socket: no TLS; the client goes on in clear, as with a server that says 'N'.
      this.socket.write('N');
      return true;
    }
    if (code === CANCEL_REQUEST) {
      this.socket.end();
      return true;
    }
    if (code === PROTOCOL_3) this.started = true;
    this.submit({ connection: this, messages: [new Uint8Array(message)] });
    return true;
  }

  private nextTyped(): boolean {
    if (this.buffer.length < 5) return false;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return false;
    const type = String.fromCharCode(this.buffer[0]!);
    const message = new Uint8Array(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    if (type === 'X') {
      this.socket.end();
      return true;
    }
    this.pending.push(message);
    if (SYNC_POINTS.has(type)) {
      this.submit({ connection: this, messages: this.pending });
      this.pending = [];
    }
    return true;
  }
}

export interface PGliteWireServerOptions {
  db: PGlite;
  /** Unix socket path, or a TCP port on 127.0.0.1 (0: any free port). */
  listen: { path: string } | { port: number };
}

export class PGliteWireServer {
  private server: Server | undefined;
  private readonly queue: Turn[] = [];
  private running = false;
  /** The connection whose transaction is open: only its turns run until it ends. */
  private owner: Connection | undefined;
  private readonly connections = new Set<Connection>();

  constructor(private readonly options: PGliteWireServerOptions) {}

  async start(): Promise<{ path?: string; port?: number }> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if ('path' in this.options.listen) server.listen(this.options.listen.path, resolve);
      else server.listen(this.options.listen.port, '127.0.0.1', resolve);
    });
    const address = server.address();
    return typeof address === 'string' ? { path: address } : { port: address!.port };
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    // Let a turn in progress finish before the database is closed.
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private accept(socket: Socket): void {
    const connection = new Connection(socket, (turn) => this.enqueue(turn));
    this.connections.add(connection);
    socket.on('data', (chunk: Buffer) => connection.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      connection.closed = true;
      this.connections.delete(connection);
      for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.connection === connection) this.queue.splice(i, 1);
      if (this.owner === connection) this.enqueue({ connection, messages: [new Uint8Array(ROLLBACK)] });
      else this.drain();
    });
  }

  private enqueue(turn: Turn): void {
    this.queue.push(turn);
    this.drain();
  }

  private drain(): void {
    if (this.running) return;
    const index = this.owner ? this.queue.findIndex((t) => t.connection === this.owner) : 0;
    if (index < 0 || this.queue.length === 0) return;
    const [turn] = this.queue.splice(index, 1);
    this.running = true;
    void this.run(turn!).finally(() => {
      this.running = false;
      this.drain();
    });
  }

  private async run(turn: Turn): Promise<void> {
    const { db } = this.options;
    const { socket } = turn.connection;
    try {
      await db.runExclusive(async () => {
        for (const message of turn.messages) {
          await db.execProtocolRawStream(message, {
            onRawData: (data) => {
              // Copy: `data` may be a view into PGlite's memory, which the next message reuses
              // while a slow socket still holds the bytes to send.
              if (!turn.connection.closed && socket.writable) socket.write(Buffer.from(data));
            },
          });
        }
      });
    } catch {
      // SQL errors come back as protocol messages; a throw means the exchange itself broke.
      socket.destroy();
    }
    const inTransaction = db.isInTransaction();
    if (inTransaction && turn.connection.closed) {
      // Its client is gone: nobody will ever commit this transaction.
      await db.runExclusive(() => db.execProtocolRawStream(new Uint8Array(ROLLBACK), { onRawData: () => undefined }));
      this.owner = undefined;
      return;
    }
    this.owner = inTransaction ? turn.connection : undefined;
  }
}
