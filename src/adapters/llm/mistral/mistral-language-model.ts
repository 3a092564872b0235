/**
 * `LanguageModel` on Mistral's chat completions (`chat.complete`,
 * `chat.stream` of @mistralai/mistralai), with our timeouts, retries and
 * coded errors (see mistral-client.ts and mistral-errors.ts).
 */
import type { ChatCompletionRequest, ContentChunk, UsageInfo } from '@mistralai/mistralai/models/components';
import { RelaisError } from '../../../core/errors.js';
import type { ChatChunk, ChatMessage, ChatOptions, ChatResult, LanguageModel, TokenUsage } from '../../../core/ports/language-model.js';
import { MistralCaller, sdkRequestOptions, type CallSpec } from './mistral-client.js';
import { badResponse, streamEndedEarly } from './mistral-errors.js';
import { resolveMistralOptions, type MistralOptions, type ResolvedMistralOptions } from './mistral-options.js';

/** Temperature when the caller gives none: factual, slightly varied wording. */
export const DEFAULT_TEMPERATURE = 0.3;

/** Usage as the port reports it; missing counts are zeros, a missing total is the sum. */
export function toTokenUsage(usage: UsageInfo | undefined): TokenUsage {
  const promptTokens = usage?.promptTokens ?? 0;
  const completionTokens = usage?.completionTokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: usage?.totalTokens || promptTokens + completionTokens };
}

/**
 * The visible text of a message or delta. Content may be a string or a list
 * of chunks; only text chunks are kept (reasoning models also send
 * "thinking" chunks, which are not the answer).
 */
export function contentText(content: string | ContentChunk[] | null | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((chunk) => (chunk.type === 'text' && 'text' in chunk && typeof chunk.text === 'string' ? chunk.text : '')).join('');
}

/** Chat answers from Mistral (`chatModel`), complete or streamed. */
export class MistralLanguageModel implements LanguageModel {
  readonly model: string;
  private readonly options: ResolvedMistralOptions;
  private readonly caller: MistralCaller;

  constructor(options: MistralOptions) {
    this.options = resolveMistralOptions(options);
    this.model = this.options.chatModel;
    this.caller = new MistralCaller(this.options);
  }

  async complete(messages: ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
    const request = this.request(messages, options);
    const spec = this.spec('chat', options.signal);
    const response = await this.caller.call(
      spec,
      (signal) => this.caller.client.chat.complete(request, sdkRequestOptions(signal)),
      (r) => ({ ...toTokenUsage(r.usage), finishReason: r.choices[0]?.finishReason }),
    );
    const choice = response.choices[0];
    if (!choice) throw badResponse({ ...spec, apiKey: this.options.apiKey }, 'the answer has no choice');
    return {
      text: contentText(choice.message?.content),
      model: response.model || this.model,
      usage: toTokenUsage(response.usage),
      finishReason: String(choice.finishReason),
    };
  }

  /**
   * Streams the answer. Failures before the first piece of text are retried
   * like `complete`; once text has been handed out a retry would repeat it,
   * so a later failure is thrown as is (coded, usually `llm.unavailable`).
   */
  async *stream(messages: ChatMessage[], options: ChatOptions = {}): AsyncGenerator<ChatChunk, void, undefined> {
    const request = this.request(messages, options);
    const spec = this.spec('chat.stream', options.signal);
    for (let attempt = 1; ; attempt++) {
      const scope = this.caller.scope(spec);
      const startedAt = Date.now();
      let handedOut = false;
      let failure: RelaisError;
      try {
        const events = await this.caller.client.chat.stream(request, sdkRequestOptions(scope.signal));
        let model = this.model;
        let usage: UsageInfo | undefined;
        let finishReason: string | undefined;
        for await (const event of events) {
          scope.touch();
          const chunk = event.data;
          if (chunk.model) model = chunk.model;
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices[0];
          if (choice?.finishReason) finishReason = String(choice.finishReason);
          const text = contentText(choice?.delta.content);
          if (text === '') continue;
          handedOut = true;
          scope.pause();
          yield { type: 'delta', text };
          // Chunks already received (a loaded event loop reads several at once) must not keep flowing after an abort.
          if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
          scope.touch();
        }
        if (finishReason === undefined) throw streamEndedEarly({ ...spec, apiKey: this.options.apiKey });
        if (!usage) {
          // Mistral sends usage in the last chunk; a compatible endpoint may not. Zeros, not a guess.
          this.caller.log.debug({ operation: spec.operation, model }, 'stream ended without usage, reporting zero tokens');
        }
        const tokens = toTokenUsage(usage);
        this.caller.logSuccess(spec, attempt, startedAt, { ...tokens, finishReason });
        yield { type: 'done', model, usage: tokens, finishReason };
        return;
      } catch (error) {
        failure = this.caller.failure(error, spec, scope);
      } finally {
        scope.dispose();
      }
      if (handedOut && failure.code !== 'llm.aborted') {
        this.caller.log.warn(
          { operation: spec.operation, model: spec.model, code: failure.code, status: failure.details.status, attempt, durationMs: Date.now() - startedAt },
          'mistral stream broke after text was handed out, not retried',
        );
        throw failure;
      }
      await this.caller.backOffOrThrow(failure, spec, attempt, startedAt);
    }
  }

  private spec(operation: 'chat' | 'chat.stream', signal: AbortSignal | undefined): CallSpec {
    return { operation, model: this.model, timeoutMs: this.options.timeoutMs, ...(signal ? { signal } : {}) };
  }

  private request(messages: ChatMessage[], options: ChatOptions): ChatCompletionRequest {
    if (messages.length === 0) {
      // The API answers 422 to an empty conversation: say so without a round trip.
      throw new RelaisError('llm.rejected', `Mistral chat (${this.model}): no messages to send`, { transient: false, userMessage: 'error.unavailable', details: { reason: 'no_messages' } });
    }
    return {
      model: this.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      temperature: options.temperature ?? DEFAULT_TEMPERATURE,
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    };
  }
}
