/**
 * The `Replier` use cases write to: records each message, adds the standard
 * footer, then hands the recorded envelope to the platform's responder.
 */
import { t } from '../i18n/translate.js';
import type { Locale } from '../i18n/locale.js';
import type { OutboundEnvelope, OutboundMessage } from '../messages/outbound.js';
import type { Responder } from '../ports/chat-platform.js';
import type { Conversation } from '../ports/repositories.js';
import type { Replier, StreamingReply } from './conversation-context.js';
import type { MessageRecorder } from './message-recorder.js';

/** Adds the bot footer (AI disclosure reminder) to messages that have none. */
export function withDefaultFooter(message: OutboundMessage, locale: Locale): OutboundMessage {
  return message.footer ? message : { ...message, footer: { text: t(locale, 'footer.bot'), aiGenerated: false } };
}

export class RecordingReplier implements Replier {
  constructor(
    private readonly responder: Responder,
    private readonly recorder: MessageRecorder,
    private readonly conversation: Conversation,
    private readonly addresseeId: string | null,
    private readonly locale: () => Locale,
  ) {}

  async send(message: OutboundMessage): Promise<OutboundEnvelope> {
    const envelope = await this.record(message);
    await this.responder.send(envelope);
    return envelope;
  }

  async stream(): Promise<StreamingReply> {
    const stream = await this.responder.startStream();
    return {
      informative: (text) => stream.informative(text),
      append: (chunk) => stream.append(chunk),
      end: async (final) => {
        const envelope = await this.record(final);
        await stream.end(envelope);
        return envelope;
      },
      abort: () => stream.abort(),
    };
  }

  private record(message: OutboundMessage): Promise<OutboundEnvelope> {
    const locale = this.locale();
    return this.recorder.recordOutbound(this.conversation, this.addresseeId, withDefaultFooter(message, locale), locale);
  }
}
