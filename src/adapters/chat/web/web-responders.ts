/**
 * Responders for one web API request: collect replies into the JSON answer,
 * or write them as server-sent events as they come (streamed answers).
 * Every reply is also published to the user's live streams (other tabs).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { OutboundEnvelope } from '../../../core/messages/outbound.js';
import type { ReplyStream, Responder } from '../../../core/ports/chat-platform.js';
import type { WebDeliveryHub } from './web-delivery-hub.js';
import { renderWebMessage, type WebMessage } from './web-message.js';
import { writeEvent } from '../../http/sse.js';

abstract class WebResponder implements Responder {
  readonly replies: WebMessage[] = [];

  constructor(
    protected readonly hub: WebDeliveryHub,
    protected readonly userId: string,
    protected readonly conversationId: string,
  ) {}

  /** Cursor of the last reply, to continue listing after it. */
  get cursor(): string | undefined {
    return this.replies.filter((r) => r.cursor !== '').at(-1)?.cursor;
  }

  async send(envelope: OutboundEnvelope): Promise<void> {
    this.emitMessage(this.deliver(envelope));
  }

  abstract startStream(): Promise<ReplyStream>;

  protected deliver(envelope: OutboundEnvelope): WebMessage {
    const message = renderWebMessage(envelope, this.conversationId);
    this.replies.push(message);
    if (message.cursor !== '') this.hub.publish(this.userId, message);
    return message;
  }

  protected abstract emitMessage(message: WebMessage): void;
}

/** Plain JSON: the stream's pieces are dropped, its final message is kept. */
export class CollectingResponder extends WebResponder {
  protected emitMessage(): void {}

  async startStream(): Promise<ReplyStream> {
    return {
      informative: async () => undefined,
      append: async () => undefined,
      end: async (final) => {
        this.deliver(final);
      },
      abort: async () => undefined,
    };
  }
}

/** `Accept: text/event-stream`: every piece is written as it comes. */
export class EventStreamResponder extends WebResponder {
  constructor(
    hub: WebDeliveryHub,
    userId: string,
    conversationId: string,
    private readonly res: ServerResponse,
  ) {
    super(hub, userId, conversationId);
  }

  protected emitMessage(message: WebMessage): void {
    writeEvent(this.res, 'message', message, message.cursor || undefined);
  }

  async startStream(): Promise<ReplyStream> {
    const streamId = randomUUID();
    writeEvent(this.res, 'stream-start', { streamId });
    return {
      informative: async (text) => writeEvent(this.res, 'stream-info', { streamId, text }),
      append: async (text) => writeEvent(this.res, 'stream-delta', { streamId, text }),
      end: async (final) => {
        const message = this.deliver(final);
        writeEvent(this.res, 'stream-end', { streamId, message }, message.cursor || undefined);
      },
      abort: async () => writeEvent(this.res, 'stream-abort', { streamId }),
    };
  }
}
