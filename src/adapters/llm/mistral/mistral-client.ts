/**
 * What the three Mistral adapters share: the SDK client, the per-attempt
 * timeout, and the retry loop with typed errors and content-free logs.
 */
import { Mistral } from '@mistralai/mistralai';
import type { RelaisError } from '../../../core/errors.js';
import type { Logger } from '../../../core/ports/logger.js';
import { mapMistralError, type MistralOperation } from './mistral-errors.js';
import type { ResolvedMistralOptions } from './mistral-options.js';

/**
 * The SDK client with its own retries switched off.
 *
 * Why our loop rather than the SDK's `retryConfig: { strategy: 'backoff' }`:
 * - the SDK bounds retries by elapsed time, not by a number of attempts;
 * - its timeout is one `AbortSignal.timeout` created with the Request, shared
 *   by every retry: once it fires, all remaining retries fail at once — and
 *   when we pass our own signal (to honour the caller's) it ignores
 *   `timeoutMs` altogether;
 * - its backoff sleep ignores the caller's signal, and a long `Retry-After`
 *   holds the call for up to a minute with no cap we can set;
 * - from outside we cannot log each attempt (status, duration) nor tell a
 *   retried 429 from a retried 503.
 * Here each attempt gets a fresh timeout, the caller's abort stops the loop at
 * once (also during a backoff), and every failure becomes a coded error.
 */
export function createMistralClient(options: ResolvedMistralOptions): Mistral {
  return new Mistral({ apiKey: options.apiKey, serverURL: options.serverUrl, retryConfig: { strategy: 'none' } });
}

/** Per-call SDK options that keep the SDK's retries off even if its defaults change. */
export function sdkRequestOptions(signal: AbortSignal): { signal: AbortSignal; retries: { strategy: 'none' } } {
  return { signal, retries: { strategy: 'none' } };
}

/** Resolves after `ms`, or early with `false` when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The signal of one attempt: fires when the caller aborts or when our timer
 * runs out, and remembers which of the two happened.
 */
export class AttemptScope {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOutFlag = false;
  private readonly onCallerAbort = (): void => this.controller.abort(this.callerSignal?.reason);

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    if (callerSignal?.aborted) {
      this.controller.abort(callerSignal.reason);
      return;
    }
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get timedOut(): boolean {
    return this.timedOutFlag;
  }

  /** Restarts the timer: a stream calls it on every event, so the timeout bounds silence, not length. */
  touch(): void {
    if (!this.controller.signal.aborted) this.arm();
  }

  /** Stops the timer while the consumer of a stream holds a chunk: its slowness is not the server's silence. */
  pause(): void {
    clearTimeout(this.timer);
  }

  /** Stops the timer and releases the connection if the attempt was left unfinished. */
  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException('attempt finished', 'AbortError'));
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOutFlag = true;
      // A TimeoutError reason, as AbortSignal.timeout would give, so fetch and the SDK see a timeout.
      this.controller.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError'));
    }, this.timeoutMs);
  }
}

/** One logical call, retried as a whole. */
export interface CallSpec {
  /** For messages and logs. */
  operation: MistralOperation;
  model: string;
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** The caller's signal: once it fires, nothing is retried. */
  signal?: AbortSignal;
}

/** Content-free facts about a result, for the success log line (token counts). */
export type Describe<T> = (value: T) => Record<string, unknown>;

/** Runs SDK calls with a per-attempt timeout, typed errors, retries and content-free logs. */
export class MistralCaller {
  readonly client: Mistral;
  readonly log: Logger;

  constructor(
    readonly options: ResolvedMistralOptions,
    private readonly random: () => number = Math.random,
  ) {
    this.client = createMistralClient(options);
    this.log = options.logger.child({ scope: 'mistral' });
  }

  /** Runs `attempt` until it succeeds, fails permanently, runs out of retries or the caller aborts. */
  async call<T>(spec: CallSpec, attempt: (signal: AbortSignal) => Promise<T>, describe?: Describe<T>): Promise<T> {
    for (let number = 1; ; number++) {
      const scope = this.scope(spec);
      const startedAt = Date.now();
      let failure: RelaisError;
      try {
        const value = await attempt(scope.signal);
        this.logSuccess(spec, number, startedAt, describe ? describe(value) : {});
        return value;
      } catch (error) {
        failure = this.failure(error, spec, scope);
      } finally {
        scope.dispose();
      }
      await this.backOffOrThrow(failure, spec, number, startedAt);
    }
  }

  /** A fresh timeout for one attempt, linked to the caller's signal. */
  scope(spec: CallSpec): AttemptScope {
    return new AttemptScope(spec.timeoutMs, spec.signal);
  }

  failure(error: unknown, spec: CallSpec, scope: AttemptScope): RelaisError {
    return mapMistralError(error, {
      operation: spec.operation,
      model: spec.model,
      apiKey: this.options.apiKey,
      timedOut: scope.timedOut,
      callerAborted: spec.signal?.aborted ?? false,
    });
  }

  logSuccess(spec: CallSpec, attempt: number, startedAt: number, fields: Record<string, unknown>): void {
    this.log.debug({ operation: spec.operation, model: spec.model, status: 200, attempt, durationMs: Date.now() - startedAt, ...fields }, 'mistral call succeeded');
  }

  /**
   * After a failed attempt: waits before the next one, or throws `failure`
   * when it is permanent, retries are used up, the wait would be too long, or
   * the caller aborted (before or during the wait).
   */
  async backOffOrThrow(failure: RelaisError, spec: CallSpec, attempt: number, startedAt: number): Promise<void> {
    const fields = { operation: spec.operation, model: spec.model, code: failure.code, status: failure.details.status, attempt, durationMs: Date.now() - startedAt };
    if (failure.code === 'llm.aborted') {
      this.log.debug(fields, 'mistral call cancelled by the caller');
      throw failure;
    }
    const delayMs = this.retryDelay(failure, attempt);
    if (delayMs === undefined) {
      this.log.warn(fields, 'mistral call failed');
      throw failure;
    }
    this.log.warn({ ...fields, retryInMs: Math.round(delayMs) }, 'mistral call failed, retrying');
    if (!(await sleep(delayMs, spec.signal))) {
      const aborted = mapMistralError(undefined, { operation: spec.operation, model: spec.model, apiKey: this.options.apiKey, timedOut: false, callerAborted: true });
      this.log.debug({ ...fields, code: aborted.code }, 'mistral call cancelled by the caller during backoff');
      throw aborted;
    }
  }

  /** Milliseconds to wait before attempt `attempt + 1`, or undefined to give up. */
  retryDelay(failure: RelaisError, attempt: number): number | undefined {
    if (!failure.transient || attempt > this.options.maxRetries) return undefined;
    const retryAfterMs = failure.details.retryAfterMs;
    if (typeof retryAfterMs === 'number') {
      // The server said when: waiting less would be refused again, so no jitter below it.
      return retryAfterMs <= this.options.maxRetryAfterMs ? retryAfterMs : undefined;
    }
    // Exponential backoff with "equal jitter": at least half the step (so the delays still grow),
    // plus a random half (so many clients hit by the same outage do not retry in lockstep).
    const step = Math.min(this.options.retryMaxDelayMs, this.options.retryBaseDelayMs * 2 ** (attempt - 1));
    return step / 2 + this.random() * (step / 2);
  }
}
