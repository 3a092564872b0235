/**
 * Replies into one Teams conversation through an SDK TurnContext.
 *
 * Streaming (personal chats only, like Teams): the SDK's
 * `context.streamingResponse` — informative update, text chunks, then the
 * final rendered message (citations, AI label, native feedback). Teams ends
 * a stream after 2 minutes: past `streamMaxMs` the stream is closed with the
 * text so far and the same message is then updated (throttled) until the
 * final version replaces it. Channels and group chats get a typing
 * indicator and the final message only.
 */
import { Activity } from '@microsoft/agents-activity';
import { StreamingResponseResult, type TurnContext } from '@microsoft/agents-hosting';
import type { ConversationKind } from '../../../core/messages/conversation-ref.js';
import type { OutboundEnvelope } from '../../../core/messages/outbound.js';
import type { ReplyStream, Responder } from '../../../core/ports/chat-platform.js';
import type { TeamsActivity } from './teams-activity.js';
import { renderTeamsMessage, type TeamsOfferedFile, type TeamsRendered } from './teams-render.js';

export interface TeamsResponderOptions {
  conversationKind: ConversationKind;
  /** Teams stops streams at 2 minutes; we close ours before (default 100 s). */
  streamMaxMs: number;
  /** Pause between streamed sends (the SDK uses 1,000 ms for Teams); undefined keeps the SDK's. */
  streamDelayMs?: number;
  /** Least time between two updates once a stream had to be closed (default 2 s). */
  updateIntervalMs: number;
  now: () => number;
  /** Called for each delivered message that carries feedback (the Teams message id and our action id). */
  onFeedbackMessage: (messageId: string, actionId: string) => Promise<void>;
  /** Called after anything reached Teams. */
  onSent: () => void;
  /** Stores a file offered by a consent card (before the card is sent, so an early "Allow" finds it). */
  onFileOffered: (file: TeamsOfferedFile, locale: string) => Promise<void>;
}

export class TeamsResponder implements Responder {
  constructor(
    private readonly context: TurnContext,
    private readonly options: TeamsResponderOptions,
  ) {}

  async send(envelope: OutboundEnvelope): Promise<void> {
    await this.deliver(await this.prepare(envelope));
  }

  async startStream(): Promise<ReplyStream> {
    const streaming = this.options.conversationKind === 'direct' && this.context.streamingResponse.isStreamingChannel;
    return streaming ? new TeamsStream(this, this.context, this.options) : new FinalOnlyStream(this, this.context);
  }

  /** Renders a message and stores the files it offers. */
  async prepare(envelope: OutboundEnvelope): Promise<TeamsRendered> {
    const rendered = renderTeamsMessage(envelope, { conversationKind: this.options.conversationKind });
    for (const file of rendered.files ?? []) await this.options.onFileOffered(file, envelope.locale);
    return rendered;
  }

  /** Sends rendered activities from `from` on; returns the Teams ids. */
  async deliver(rendered: TeamsRendered, from = 0): Promise<(string | undefined)[]> {
    const ids: (string | undefined)[] = [];
    for (let i = from; i < rendered.activities.length; i++) {
      const response = await this.context.sendActivity(Activity.fromObject(rendered.activities[i]!));
      this.options.onSent();
      ids[i] = response?.id;
      if (rendered.feedback?.activityIndex === i && response?.id) await this.options.onFeedbackMessage(response.id, rendered.feedback.actionId);
    }
    return ids;
  }

  async noteFeedback(rendered: TeamsRendered, index: number, messageId: string | undefined): Promise<void> {
    if (rendered.feedback?.activityIndex === index && messageId) await this.options.onFeedbackMessage(messageId, rendered.feedback.actionId);
  }

  markSent(): void {
    this.options.onSent();
  }
}

/** Channels and group chats: a typing indicator while working, then the final message. */
class FinalOnlyStream implements ReplyStream {
  private typing = false;

  constructor(
    private readonly responder: TeamsResponder,
    private readonly context: TurnContext,
  ) {}

  async informative(): Promise<void> {
    if (this.typing) return;
    this.typing = true;
    await this.context.sendActivity(Activity.fromObject({ type: 'typing' }));
  }

  async append(): Promise<void> {}

  async end(final: OutboundEnvelope): Promise<void> {
    await this.responder.deliver(await this.responder.prepare(final));
  }

  async abort(): Promise<void> {}
}

type StreamMode = 'stream' | 'update' | 'ended';

class TeamsStream implements ReplyStream {
  private mode: StreamMode = 'stream';
  private readonly startedAt: number;
  private text = '';
  private messageId: string | undefined;
  private lastUpdate = 0;

  constructor(
    private readonly responder: TeamsResponder,
    private readonly context: TurnContext,
    private readonly options: TeamsResponderOptions,
  ) {
    this.startedAt = options.now();
    if (options.streamDelayMs !== undefined) context.streamingResponse.setDelayInMs(options.streamDelayMs);
  }

  private get sdk() {
    return this.context.streamingResponse;
  }

  async informative(text: string): Promise<void> {
    if (this.mode !== 'stream') return;
    await this.closeIfTooLong();
    if (this.mode === 'stream') this.sdk.queueInformativeUpdate(text.slice(0, 1000));
  }

  async append(chunk: string): Promise<void> {
    this.text += chunk;
    if (this.mode === 'stream') {
      await this.closeIfTooLong();
      if (this.mode === 'stream') {
        this.sdk.queueTextChunk(chunk);
        this.responder.markSent();
        return;
      }
    }
    if (this.mode === 'update' && this.messageId && this.options.now() - this.lastUpdate >= this.options.updateIntervalMs) {
      this.lastUpdate = this.options.now();
      await this.context.updateActivity(Activity.fromObject({ type: 'message', id: this.messageId, text: `${this.text} …`, textFormat: 'markdown' }));
    }
  }

  async end(final: OutboundEnvelope): Promise<void> {
    const rendered = await this.responder.prepare(final);
    const first = rendered.activities[0]!;
    if (this.mode === 'stream') {
      this.mode = 'ended';
      this.sdk.setFinalMessage(Activity.fromObject(withoutChannelData(first)));
      this.sdk.setAttachments((first.attachments ?? []) as never[]);
      this.sdk.setFeedbackLoop(rendered.feedback?.native === true && rendered.feedback.activityIndex === 0);
      const result = await this.sdk.endStream();
      if (result === StreamingResponseResult.Success) {
        this.responder.markSent();
        await this.responder.noteFeedback(rendered, 0, this.sdk.streamId);
        await this.responder.deliver(rendered, 1);
        return;
      }
      // The stream was refused or cancelled: the answer still arrives, as a plain message.
      await this.responder.deliver(rendered);
      return;
    }
    if (this.mode === 'update' && this.messageId) {
      this.mode = 'ended';
      await this.context.updateActivity(Activity.fromObject({ ...first, id: this.messageId }));
      await this.responder.noteFeedback(rendered, 0, this.messageId);
      await this.responder.deliver(rendered, 1);
      return;
    }
    this.mode = 'ended';
    await this.responder.deliver(rendered);
  }

  async abort(): Promise<void> {
    if (this.mode !== 'stream') return;
    this.mode = 'ended';
    if (this.sdk.updatesSent === 0 && this.text === '') return;
    // Teams keeps a started stream open until a final message: close it with what was shown.
    this.sdk.setFinalMessage(Activity.fromObject({ type: 'message', text: this.text || '…' }));
    await this.sdk.endStream();
  }

  /** Closes the stream with the text so far when Teams' 2-minute limit approaches; later text goes by updates. */
  private async closeIfTooLong(): Promise<void> {
    if (this.options.now() - this.startedAt < this.options.streamMaxMs) return;
    this.sdk.setFinalMessage(Activity.fromObject({ type: 'message', text: `${this.text} …`, textFormat: 'markdown' }));
    await this.sdk.endStream();
    this.messageId = this.sdk.streamId;
    this.lastUpdate = this.options.now();
    this.mode = this.messageId ? 'update' : 'ended';
  }
}

function withoutChannelData(activity: TeamsActivity): TeamsActivity {
  // The SDK sets the final message's channelData itself (feedback loop flag).
  const { channelData, ...rest } = activity;
  void channelData;
  return rest;
}
