/**
 * What the core needs from a chat platform (web, Slack, Teams, Matrix).
 *
 * An adapter translates platform payloads into neutral `InboundEvent`s,
 * passes them to the core with a `Responder` bound to the conversation, and
 * renders `OutboundEnvelope`s natively.
 */
import type { InboundEvent } from '../messages/inbound.js';
import type { ConversationRef, PlatformName } from '../messages/conversation-ref.js';
import type { OutboundEnvelope } from '../messages/outbound.js';

/**
 * A reply being produced piece by piece (long AI answers). Platforms without
 * native streaming buffer the chunks and post the final message only.
 */
export interface ReplyStream {
  /** A short status line shown while work is in progress ("Je cherche…"). */
  informative(text: string): Promise<void>;
  /** Appends a markdown chunk to the visible answer. */
  append(markdownChunk: string): Promise<void>;
  /** Replaces the streamed text by the complete, recorded message. */
  end(final: OutboundEnvelope): Promise<void>;
  /** Ends the stream without a final message (the core then sends an error message). */
  abort(): Promise<void>;
}

/** Sends replies into the conversation an inbound event came from. */
export interface Responder {
  send(envelope: OutboundEnvelope): Promise<void>;
  startStream(): Promise<ReplyStream>;
}

/**
 * Called by an adapter for each inbound event. Resolves when the core has
 * finished handling it (all replies sent or recorded).
 */
export type InboundHandler = (event: InboundEvent, responder: Responder) => Promise<void>;

export interface ChatPlatform {
  readonly name: PlatformName;
  /** Starts receiving events (connects, subscribes). No I/O before this. */
  start(handler: InboundHandler): Promise<void>;
  /** Stops receiving and flushes pending deliveries. */
  stop(): Promise<void>;
  /** Posts a message into a known conversation (proactive message). */
  send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void>;
  /** Opens (or reuses) the direct conversation with a platform user. */
  openDirect(userExternalId: string): Promise<ConversationRef>;
}
