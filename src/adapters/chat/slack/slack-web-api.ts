/**
 * Every Web API call the adapter makes, through one door: the shared rate
 * limiter first (Slack's documented limits), then the SDK call, then Slack's
 * answer turned into a coded `RelaisError`.
 *
 * Retries: the WebClient is built with `rejectRateLimitedCalls` so it never
 * waits on a 429 by itself; this class pauses the limiter keys for the
 * `Retry-After` Slack gave (every instance waits, with Redis) and tries
 * again, up to `MAX_RATE_LIMITED_RETRIES` times. The SDK's own retries stay
 * on for network errors and 5xx only.
 */
import type { WebClient } from '@slack/web-api';
import { isRelaisError, RelaisError, UnavailableError } from '../../../core/errors.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { RateLimiter, RateRule } from '../../rate-limit/rate-limiter.js';
import { feedbackAsButtons, hasNativeFeedback, type SlackBlock, type SlackMessagePart, type SlackUploadPart } from './slack-render.js';

/** The limits applied, per key family. Defaults follow Slack's documentation. */
export interface SlackRateRules {
  /** chat.postMessage per channel: "1 message per second" (short bursts tolerated, not relied on). */
  postPerChannel: RateRule[];
  /** chat.postMessage per workspace: "several hundred messages per minute" — 300/min, the low end. */
  postPerWorkspace: RateRule[];
  /** chat.update and streaming calls per message: ≤ 1 per second, so a stream never hits "~50 per minute per message". */
  editPerMessage: RateRule[];
  /** chat.update: Tier 3 (50+ per minute). */
  tier3: RateRule[];
  /** conversations.open: Tier 3. Streaming and file methods: modelled as Tier 4 (100+ per minute). */
  tier4: RateRule[];
}

/**
 * Slack counts a call when it arrives, the limiter when it lets it go: the
 * network and the event loop sit in between, so a send released exactly one
 * window after the previous one can land a little early. Windows get this
 * margin (measured: first calls on a cold connection arrive up to ~60 ms
 * later than the next ones).
 */
const JITTER_MARGIN_MS = 100;

export const DEFAULT_SLACK_RATE_RULES: SlackRateRules = {
  postPerChannel: [{ limit: 1, windowMs: 1000 + JITTER_MARGIN_MS }],
  postPerWorkspace: [{ limit: 300, windowMs: 60_000 + JITTER_MARGIN_MS }],
  editPerMessage: [{ limit: 1, windowMs: 1000 + JITTER_MARGIN_MS }],
  tier3: [{ limit: 50, windowMs: 60_000 }],
  tier4: [{ limit: 100, windowMs: 60_000 }],
};

/** 429s retried after their Retry-After before giving up with `platform.rate_limited`. */
export const MAX_RATE_LIMITED_RETRIES = 5;

/** Slack errors meaning "the bot cannot reach this conversation or person" — retrying will not help. */
const NOT_INSTALLED = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'messages_tab_disabled',
  'cannot_dm_bot',
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'restricted_action',
  'ekm_access_denied',
]);
const UNAUTHORIZED = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission']);
const REJECTED = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'too_many_attachments', 'invalid_arguments', 'no_text']);
/** files.getUploadURLExternal errors meaning "this workspace takes no such file from the app" — permanent. */
const FILE_REFUSED = new Set(['file_uploads_disabled', 'file_uploads_except_images_disabled', 'file_type_not_allowed', 'file_upload_size_restricted', 'snippet_too_large']);
/** Refusals after which a document is posted as text instead (a missing `files:write` scope included). */
const FILE_FALLBACK = new Set([...FILE_REFUSED, 'missing_scope', 'no_permission']);

interface Limit {
  key: string;
  rules: readonly RateRule[];
}

export class SlackWebApi {
  /** 429 answers received (for metrics and the benchmark). */
  rateLimited = 0;
  /** Cleared when the workspace refuses `feedback_buttons`: plain buttons from then on. */
  private nativeFeedback = true;

  constructor(
    private readonly client: WebClient,
    private readonly limiter: RateLimiter,
    private readonly rules: SlackRateRules,
    private readonly log: Logger,
  ) {}

  /** auth.test (Tier 4 in Slack's docs, not limited here): who the token belongs to. */
  async authTest(): Promise<{ userId?: string; botId?: string; teamId?: string }> {
    const result = await this.call<{ user_id?: string; bot_id?: string; team_id?: string }>('auth.test', {}, []);
    return { ...(result.user_id ? { userId: result.user_id } : {}), ...(result.bot_id ? { botId: result.bot_id } : {}), ...(result.team_id ? { teamId: result.team_id } : {}) };
  }

  /** Posts one Block Kit message; returns its ts. */
  async postMessage(channel: string, threadTs: string | undefined, part: SlackMessagePart): Promise<string> {
    const result = await this.withFeedbackFallback(part.blocks, part.locale, (blocks) =>
      this.call<{ ts?: string }>(
        'chat.postMessage',
        { channel, text: part.text, blocks, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}) },
        [
          { key: `slack:channel:${channel}`, rules: this.rules.postPerChannel },
          { key: 'slack:method:chat.postMessage', rules: this.rules.postPerWorkspace },
        ],
      ),
    );
    return result.ts ?? '';
  }

  async update(channel: string, ts: string, text: string, blocks?: SlackBlock[], locale?: string): Promise<void> {
    const send = (b: SlackBlock[] | undefined) =>
      this.call('chat.update', { channel, ts, text, ...(b ? { blocks: b } : {}) }, [
        { key: `slack:message:${channel}:${ts}`, rules: this.rules.editPerMessage },
        { key: 'slack:method:chat.update', rules: this.rules.tier3 },
      ]);
    if (blocks) await this.withFeedbackFallback(blocks, locale, send);
    else await send(undefined);
  }

  /** Sends with native feedback buttons; if Slack refuses them (invalid_blocks), with plain buttons, then always so. */
  private async withFeedbackFallback<T>(blocks: SlackBlock[], locale: string | undefined, send: (blocks: SlackBlock[]) => Promise<T>): Promise<T> {
    if (!hasNativeFeedback(blocks)) return send(blocks);
    if (!this.nativeFeedback) return send(feedbackAsButtons(blocks, locale ?? 'fr'));
    try {
      return await send(blocks);
    } catch (error) {
      if (!isRelaisError(error) || error.code !== 'platform.rejected' || error.details.slackError !== 'invalid_blocks') throw error;
      this.nativeFeedback = false;
      this.log.warn({}, 'Slack refused feedback_buttons: using plain feedback buttons from now on');
      return send(feedbackAsButtons(blocks, locale ?? 'fr'));
    }
  }

  /** Starts a native stream (a reply in a thread); returns the streamed message's ts. */
  async startStream(channel: string, threadTs: string, markdown: string, recipient: { userId: string; teamId?: string } | undefined): Promise<string> {
    const result = await this.call<{ ts?: string }>(
      'chat.startStream',
      {
        channel,
        thread_ts: threadTs,
        ...(markdown ? { markdown_text: markdown } : {}),
        ...(recipient ? { recipient_user_id: recipient.userId, ...(recipient.teamId ? { recipient_team_id: recipient.teamId } : {}) } : {}),
      },
      [
        { key: `slack:channel:${channel}`, rules: this.rules.postPerChannel },
        { key: 'slack:method:chat.startStream', rules: this.rules.tier4 },
      ],
    );
    if (!result.ts) throw new UnavailableError('platform.unavailable', 'chat.startStream answered without a ts');
    return result.ts;
  }

  async appendStream(channel: string, ts: string, markdown: string): Promise<void> {
    await this.call('chat.appendStream', { channel, ts, markdown_text: markdown }, [
      { key: `slack:message:${channel}:${ts}`, rules: this.rules.editPerMessage },
      { key: 'slack:method:chat.appendStream', rules: this.rules.tier4 },
    ]);
  }

  async stopStream(channel: string, ts: string, markdown?: string): Promise<void> {
    await this.call('chat.stopStream', { channel, ts, ...(markdown ? { markdown_text: markdown } : {}) }, [
      { key: `slack:message:${channel}:${ts}`, rules: this.rules.editPerMessage },
      { key: 'slack:method:chat.stopStream', rules: this.rules.tier4 },
    ]);
  }

  /** assistant.threads.setSuggestedPrompts (Tier 4 assumed): prompts offered in a new assistant thread. */
  async setSuggestedPrompts(channel: string, threadTs: string, title: string, prompts: { title: string; message: string }[]): Promise<void> {
    await this.call('assistant.threads.setSuggestedPrompts', { channel_id: channel, thread_ts: threadTs, title, prompts }, [
      { key: 'slack:method:assistant.threads', rules: this.rules.tier4 },
    ]);
  }

  /** assistant.threads.setStatus: the "is thinking" line under an assistant thread, cleared by the reply. */
  async setStatus(channel: string, threadTs: string, status: string, loadingMessages: string[] = []): Promise<void> {
    await this.call(
      'assistant.threads.setStatus',
      { channel_id: channel, thread_ts: threadTs, status, ...(loadingMessages.length ? { loading_messages: loadingMessages } : {}) },
      [{ key: 'slack:method:assistant.threads', rules: this.rules.tier4 }],
    );
  }

  /** conversations.open: the DM channel with a user. */
  async openDirect(userId: string): Promise<string> {
    const result = await this.call<{ channel?: { id?: string } }>('conversations.open', { users: userId, return_im: false }, [
      { key: 'slack:method:conversations.open', rules: this.rules.tier3 },
    ]);
    const id = result.channel?.id;
    if (!id) throw new UnavailableError('platform.unavailable', 'conversations.open answered without a channel id');
    return id;
  }

  /**
   * The external upload flow (what files.uploadV2 does), each step rate
   * limited: files.getUploadURLExternal, the bytes POSTed to the URL it
   * gave, then files.completeUploadExternal shares the file in the channel
   * (or thread) with its title. When the workspace refuses the file and the
   * part has a text fallback, that message is posted instead; returns
   * whether the file itself was shared.
   */
  async upload(channel: string, threadTs: string | undefined, part: SlackUploadPart): Promise<boolean> {
    try {
      await this.uploadFile(channel, threadTs, part);
      return true;
    } catch (error) {
      const slackError = isRelaisError(error) ? error.details.slackError : undefined;
      if (!part.fallback || typeof slackError !== 'string' || !FILE_FALLBACK.has(slackError)) throw error;
      this.log.warn({ slackError }, 'Slack refused a file upload: posting its text instead');
      await this.postMessage(channel, threadTs, part.fallback);
      return false;
    }
  }

  private async uploadFile(channel: string, threadTs: string | undefined, part: SlackUploadPart): Promise<void> {
    const bytes = Buffer.from(part.base64, 'base64');
    const target = await this.call<{ upload_url?: string; file_id?: string }>(
      'files.getUploadURLExternal',
      { filename: part.filename, length: bytes.length, ...(part.alt ? { alt_text: part.alt } : {}) },
      [{ key: 'slack:method:files.getUploadURLExternal', rules: this.rules.tier4 }],
    );
    if (!target.upload_url || !target.file_id) throw new UnavailableError('platform.unavailable', 'files.getUploadURLExternal answered without an upload URL');
    const response = await fetch(target.upload_url, { method: 'POST', headers: { 'content-type': part.mimeType }, body: bytes });
    if (!response.ok) throw new UnavailableError('platform.unavailable', `file upload answered HTTP ${response.status}`);
    await this.call(
      'files.completeUploadExternal',
      { files: JSON.stringify([{ id: target.file_id, title: part.title ?? part.alt ?? part.filename }]), channel_id: channel, ...(threadTs ? { thread_ts: threadTs } : {}) },
      [{ key: 'slack:method:files.completeUploadExternal', rules: this.rules.tier4 }],
    );
  }

  private async call<T = Record<string, unknown>>(method: string, args: Record<string, unknown>, limits: Limit[]): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      for (const limit of limits) await this.limiter.acquire(limit.key, limit.rules);
      try {
        return (await this.client.apiCall(method, args)) as T;
      } catch (error) {
        const retryAfter = rateLimitedSeconds(error);
        if (retryAfter === undefined) throw toRelaisError(method, error);
        this.rateLimited++;
        if (attempt >= MAX_RATE_LIMITED_RETRIES) {
          throw new RelaisError('platform.rate_limited', `${method} still rate limited after ${attempt + 1} attempts`, { transient: true, userMessage: 'error.unavailable', details: { method } });
        }
        this.log.warn({ method, retryAfterSeconds: retryAfter }, 'Slack rate limited a call: pausing before retrying');
        for (const limit of limits) await this.limiter.pause(limit.key, Math.max(retryAfter, 0) * 1000);
      }
    }
  }
}

function rateLimitedSeconds(error: unknown): number | undefined {
  const e = error as { code?: string; retryAfter?: number };
  return e?.code === 'slack_webapi_rate_limited_error' ? (e.retryAfter ?? 1) : undefined;
}

/** Slack's answer as a coded error; the Slack error string goes in `details.slackError`, never message content. */
export function toRelaisError(method: string, error: unknown): RelaisError {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  if (e?.code === 'slack_webapi_platform_error') {
    const slackError = e.data?.error ?? 'unknown';
    const details = { method, slackError };
    if (NOT_INSTALLED.has(slackError)) {
      return new RelaisError('platform.not_installed', `Slack ${method}: ${slackError} (the app cannot reach this person or channel)`, { details });
    }
    if (UNAUTHORIZED.has(slackError)) return new RelaisError('platform.unauthorized', `Slack ${method}: ${slackError} (check SLACK_BOT_TOKEN and scopes)`, { details });
    if (REJECTED.has(slackError) || FILE_REFUSED.has(slackError)) return new RelaisError('platform.rejected', `Slack ${method}: ${slackError}`, { details });
    return new UnavailableError('platform.unavailable', `Slack ${method}: ${slackError}`, { details });
  }
  if (e?.code === 'slack_webapi_http_error') return new UnavailableError('platform.unavailable', `Slack ${method}: HTTP ${e.statusCode ?? '?'}`, { details: { method } });
  return new UnavailableError('platform.unavailable', `Slack ${method}: ${e?.message ?? String(error)}`, { details: { method }, cause: error });
}
