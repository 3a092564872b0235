/**
 * Replies into the Slack conversation an event came from (same channel, same
 * thread), including streamed answers:
 * - in a thread (mentions in channels, thread replies), Slack's native text
 *   streaming: `chat.startStream` → `chat.appendStream` → `chat.stopStream`;
 * - at the top of a DM (where a stream would open a thread), a message
 *   updated with `chat.update` as the text grows;
 * both at most once per `updateIntervalMs` per message; the final message
 * then replaces the streamed text with the complete Block Kit rendering.
 */
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { OutboundEnvelope, OutboundMessage } from '../../../core/messages/outbound.js';
import type { ReplyStream, Responder } from '../../../core/ports/chat-platform.js';
import { escapeMrkdwn, markdownToMrkdwn } from './slack-mrkdwn.js';
import { clip, renderSlackMessage, SLACK_LIMITS, type SlackOutboundPart, type SlackRenderOptions } from './slack-render.js';
import type { SlackWebApi } from './slack-web-api.js';

export interface SlackReplyOptions {
  /** Least time between two visible updates of a streamed message, in ms. */
  updateIntervalMs: number;
  renderLimits?: SlackRenderOptions['limits'];
  now: () => number;
}

/** Posts the rendered parts of a message in order; returns the ts of the first Block Kit message. */
export async function postParts(api: SlackWebApi, channel: string, threadTs: string | undefined, parts: SlackOutboundPart[]): Promise<string | undefined> {
  let first: string | undefined;
  for (const part of parts) {
    if (part.kind === 'message') {
      const ts = await api.postMessage(channel, threadTs, part);
      first ??= ts;
    } else {
      await api.upload(channel, threadTs, part);
    }
  }
  return first;
}

export function renderEnvelope(envelope: OutboundEnvelope, limits: SlackRenderOptions['limits']): SlackOutboundPart[] {
  return renderMessage(envelope.message, envelope.locale, limits);
}

function renderMessage(message: OutboundMessage, locale: string, limits: SlackRenderOptions['limits']): SlackOutboundPart[] {
  return renderSlackMessage(message, { locale, ...(limits ? { limits } : {}) });
}

export class SlackResponder implements Responder {
  /** True once anything reached Slack (then a failure must not make the event be handled again). */
  delivered = false;

  constructor(
    private readonly api: SlackWebApi,
    private readonly ref: ConversationRef,
    private readonly recipient: { userId: string; teamId?: string },
    private readonly options: SlackReplyOptions,
    /** True in an assistant thread (Agents & AI Apps): status lines use assistant.threads.setStatus. */
    private readonly assistantThread = false,
  ) {}

  async send(envelope: OutboundEnvelope): Promise<void> {
    await this.post(renderEnvelope(envelope, this.options.renderLimits));
  }

  async startStream(): Promise<ReplyStream> {
    return this.ref.threadId ? new NativeStream(this, this.ref.threadId, this.assistantThread) : new UpdatedMessageStream(this);
  }

  /** @internal used by the streams */
  async post(parts: SlackOutboundPart[]): Promise<string | undefined> {
    const ts = await postParts(this.api, this.ref.externalId, this.ref.threadId, parts);
    this.delivered = true;
    return ts;
  }

  /** @internal */
  get context(): { api: SlackWebApi; channel: string; recipient: { userId: string; teamId?: string }; options: SlackReplyOptions } {
    return { api: this.api, channel: this.ref.externalId, recipient: this.recipient, options: this.options };
  }

  /** @internal */
  markDelivered(): void {
    this.delivered = true;
  }
}

/** Shows the final rendering in place of the streamed message, then posts what did not fit in it. */
async function finish(responder: SlackResponder, ts: string, envelope: OutboundEnvelope): Promise<void> {
  const { api, channel, options } = responder.context;
  const parts = renderEnvelope(envelope, options.renderLimits);
  const firstIndex = parts.findIndex((p) => p.kind === 'message');
  const first = parts[firstIndex];
  if (first?.kind === 'message') {
    await api.update(channel, ts, first.text, first.blocks, first.locale);
    await responder.post(parts.filter((_, i) => i !== firstIndex));
  } else {
    await responder.post(parts);
  }
}

/** A visible text while streaming: the answer so far, in mrkdwn, within one section. */
function preview(markdown: string): string {
  return clip(markdownToMrkdwn(markdown), SLACK_LIMITS.sectionText);
}

class UpdatedMessageStream implements ReplyStream {
  private ts: string | undefined;
  private text = '';
  private lastShown = 0;

  constructor(private readonly responder: SlackResponder) {}

  async informative(text: string): Promise<void> {
    if (this.text) return;
    await this.show(`_${escapeMrkdwn(text)}_`, true);
  }

  async append(chunk: string): Promise<void> {
    this.text += chunk;
    const { options } = this.responder.context;
    if (options.now() - this.lastShown >= options.updateIntervalMs) await this.show(preview(this.text), false);
  }

  async end(final: OutboundEnvelope): Promise<void> {
    if (this.ts) await finish(this.responder, this.ts, final);
    else await this.responder.send(final);
  }

  async abort(): Promise<void> {
    // The partial text stays visible; the core follows with an error message.
  }

  private async show(mrkdwn: string, force: boolean): Promise<void> {
    const { api, channel, options } = this.responder.context;
    if (!force && options.now() - this.lastShown < options.updateIntervalMs) return;
    this.lastShown = options.now();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }];
    if (this.ts) await api.update(channel, this.ts, mrkdwn, blocks);
    else this.ts = await this.responder.post([{ kind: 'message', text: mrkdwn, blocks }]);
  }
}

class NativeStream implements ReplyStream {
  private ts: string | undefined;
  private pending = '';
  private lastFlush = 0;
  private stopped = false;

  constructor(
    private readonly responder: SlackResponder,
    private readonly threadTs: string,
    private readonly assistantThread: boolean,
  ) {}

  async informative(text: string): Promise<void> {
    // Status lines exist in assistant threads only (cleared by the reply); a plain thread shows the text alone.
    if (!this.assistantThread || this.ts) return;
    const { api, channel } = this.responder.context;
    await api.setStatus(channel, this.threadTs, text);
  }

  async append(chunk: string): Promise<void> {
    this.pending += chunk;
    const { options } = this.responder.context;
    if (options.now() - this.lastFlush >= options.updateIntervalMs) await this.flush();
  }

  async end(final: OutboundEnvelope): Promise<void> {
    if (!this.ts) {
      await this.responder.send(final);
      return;
    }
    await this.stop();
    await finish(this.responder, this.ts, final);
  }

  async abort(): Promise<void> {
    if (this.ts) await this.stop();
  }

  private async flush(): Promise<void> {
    if (!this.pending) return;
    const { api, channel, recipient, options } = this.responder.context;
    this.lastFlush = options.now();
    const text = this.pending;
    this.pending = '';
    if (this.ts) {
      await api.appendStream(channel, this.ts, text);
    } else {
      this.ts = await api.startStream(channel, this.threadTs, text, recipient);
      this.responder.markDelivered();
    }
  }

  private async stop(): Promise<void> {
    if (this.stopped || !this.ts) return;
    this.stopped = true;
    const { api, channel } = this.responder.context;
    const rest = this.pending;
    this.pending = '';
    await api.stopStream(channel, this.ts, rest || undefined);
  }
}
