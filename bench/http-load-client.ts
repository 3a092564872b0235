/**
 * A deliberately thin HTTP/1.1 keep-alive client for load generation: one
 * socket per simulated client, one request at a time, raw bytes out, only
 * the status line and Content-Length parsed on the way back. A full HTTP
 * client library costs about as much CPU per request as the server under
 * test; on a 2-core machine it would measure itself, not Relais.
 */
import { connect, type Socket } from 'node:net';

export interface Exchange {
  status: number;
  body: string;
  latencyMs: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class KeepAliveConnection {
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve(exchange: Exchange): void; reject(error: Error): void; started: number } | undefined;

  constructor(private readonly host: string, private readonly port: number) {}

  async open(): Promise<void> {
    this.socket = connect({ host: this.host, port: this.port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      this.socket!.once('connect', resolve);
      this.socket!.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.pending?.reject(error));
    this.socket.on('close', () => this.pending?.reject(new Error('connection closed by the server')));
  }

  /** Sends one POST with a JSON body and resolves with the complete response. */
  post(path: string, json: string): Promise<Exchange> {
    const body = Buffer.from(json);
    const head = `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, started: performance.now() };
      this.socket!.write(Buffer.concat([Buffer.from(head), body]));
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const headerEnd = this.buffer.indexOf(HEADER_END);
    if (headerEnd < 0 || !this.pending) return;
    const head = this.buffer.subarray(0, headerEnd).toString('latin1');
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.pending.reject(new Error('response without Content-Length (chunked responses are not supported by this client)'));
      return;
    }
    const total = headerEnd + 4 + Number(length[1]);
    if (this.buffer.length < total) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffer.subarray(headerEnd + 4, total).toString('utf8');
    this.buffer = this.buffer.subarray(total);
    const { resolve, started } = this.pending;
    this.pending = undefined;
    resolve({ status, body, latencyMs: performance.now() - started });
  }
}
