/**
 * A streamed answer on Matrix: the first chunk (or status line) is posted as
 * a message, later chunks replace it with `m.replace` edits at most once per
 * `intervalMs`, and the final edit carries the complete rendered answer —
 * clients that show only the latest edit show the whole answer.
 */
import type { OutboundEnvelope } from '../../../core/messages/outbound.js';
import type { ReplyStream } from '../../../core/ports/chat-platform.js';
import { streamingContent, type MatrixTextContent } from './matrix-render.js';

export interface StreamTarget {
  /** Posts the first message of the stream; returns its event id. */
  post(content: MatrixTextContent): Promise<string>;
  /** Replaces the message `eventId` with `content`. */
  edit(eventId: string, content: MatrixTextContent): Promise<void>;
  /** Completes the stream with the final envelope (edit of `eventId` when there is one). */
  finish(envelope: OutboundEnvelope, eventId: string | undefined): Promise<void>;
}

export class MatrixReplyStream implements ReplyStream {
  private text = '';
  private status = '';
  private eventId: string | undefined;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private shown = '';

  constructor(
    private readonly target: StreamTarget,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async informative(text: string): Promise<void> {
    if (this.closed || this.text !== '') return;
    this.status = text;
    this.schedule();
  }

  async append(markdownChunk: string): Promise<void> {
    if (this.closed) return;
    this.text += markdownChunk;
    this.schedule();
  }

  async end(final: OutboundEnvelope): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    await this.chain.catch(() => undefined);
    await this.target.finish(final, this.eventId);
  }

  async abort(): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    await this.chain.catch(() => undefined);
    if (this.eventId && this.text) await this.target.edit(this.eventId, streamingContent(`${this.text} …`));
  }

  private visible(): string {
    return this.text !== '' ? this.text : this.status ? `_${this.status}_` : '';
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.chain = this.chain.then(() => this.flush()).catch(() => undefined);
    }, wait);
  }

  private async flush(): Promise<void> {
    if (this.closed) return;
    const markdown = this.visible();
    if (markdown === '' || markdown === this.shown) return;
    this.shown = markdown;
    this.lastWrite = this.now();
    if (!this.eventId) this.eventId = await this.target.post(streamingContent(markdown));
    else await this.target.edit(this.eventId, streamingContent(markdown));
    // Writes wait for the rate limiter: the next one is at least intervalMs after this one ended.
    this.lastWrite = this.now();
  }
}
