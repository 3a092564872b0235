/**
 * `Moderator` on Mistral's moderation endpoint (`classifiers.moderate`,
 * POST /v1/moderations). The safety check uses it as a second opinion on
 * self-harm only (see the port).
 */
import type { ModerationResponse } from '@mistralai/mistralai/models/components';
import type { ModerationResult, Moderator } from '../../../core/ports/moderator.js';
import { MistralCaller, sdkRequestOptions, type CallSpec } from './mistral-client.js';
import { badResponse } from './mistral-errors.js';
import { resolveMistralOptions, type MistralOptions, type ResolvedMistralOptions } from './mistral-options.js';

/**
 * The self-harm category as the API spells it: `selfharm`, one word, in
 * `categories` and `category_scores` (conformance/mistral/openapi.yaml,
 * examples of /v1/moderations).
 */
export const SELF_HARM_CATEGORY = 'selfharm';

/** The port's result from the first (only) moderation result. */
export function toModerationResult(categories: Record<string, boolean> = {}, scores: Record<string, number> = {}): ModerationResult {
  const score = scores[SELF_HARM_CATEGORY];
  return {
    selfHarm: typeof score === 'number' && Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0,
    selfHarmFlagged: categories[SELF_HARM_CATEGORY] === true,
    flagged: Object.entries(categories)
      .filter(([, flagged]) => flagged)
      .map(([category]) => category)
      .sort(),
  };
}

/** Moderation by Mistral (`moderationModel`), reduced to what the safety check needs. */
export class MistralModerator implements Moderator {
  readonly model: string;
  private readonly options: ResolvedMistralOptions;
  private readonly caller: MistralCaller;

  constructor(options: MistralOptions) {
    this.options = resolveMistralOptions(options);
    this.model = this.options.moderationModel;
    this.caller = new MistralCaller(this.options);
  }

  async moderate(text: string, signal?: AbortSignal): Promise<ModerationResult> {
    const spec: CallSpec = { operation: 'moderation', model: this.model, timeoutMs: this.options.moderationTimeoutMs, ...(signal ? { signal } : {}) };
    const response: ModerationResponse = await this.caller.call(
      spec,
      (attemptSignal) => this.caller.client.classifiers.moderate({ model: this.model, inputs: [text] }, sdkRequestOptions(attemptSignal)),
      (r) => ({ results: r.results.length }),
    );
    const result = response.results[0];
    if (!result) throw badResponse({ ...spec, apiKey: this.options.apiKey }, 'the answer has no moderation result');
    return toModerationResult(result.categories, result.categoryScores);
  }
}
