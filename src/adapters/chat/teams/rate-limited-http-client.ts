/**
 * The HTTP client under the SDK's ConnectorClient, with Teams' limits:
 * every connector request first waits for room under its conversation's and
 * its tenant's limits (shared limiter, so shared by every instance with
 * Redis), and a 429 (or 503) pauses both keys for the `Retry-After` the
 * connector gave, then retries. The SDK's own HttpClient (1.8) never
 * retries, so there is exactly one retry loop: this one.
 */
import { HttpClient, HttpError, type HttpRequestConfig, type HttpResponse } from '@microsoft/agents-hosting';
import type { RateLimiter, RateRule } from '../../rate-limit/rate-limiter.js';
import { asRecord } from './teams-activity.js';
import { conversationKey, tenantKey } from './teams-rate-limits.js';

export interface ConnectorPolicy {
  limiter: RateLimiter;
  conversationRules: readonly RateRule[];
  tenantRules: readonly RateRule[];
  /** Tenant key used when a request names none (e.g. a development emulator). */
  defaultTenant: string;
  /** Retries after 429/503 before giving up (default 4). */
  maxRetries?: number;
  /** Used when a 429 has no Retry-After, in ms (default 1,000, doubled per attempt). */
  fallbackRetryMs?: number;
  /** Multiplies Retry-After (fakes whose clock runs faster); default 1. */
  timeScale?: number;
  /** Told about each 429/503 (metrics, logs). */
  onThrottled?: (status: number, retryAfterMs: number) => void;
}

export class RateLimitedHttpClient extends HttpClient {
  constructor(
    base: HttpClient,
    private readonly policy: ConnectorPolicy,
  ) {
    super({ baseURL: base.baseURL, headers: base.defaultHeaders });
  }

  override async request<T = unknown>(config: HttpRequestConfig): Promise<HttpResponse<T>> {
    const conversation = conversationOf(config.url);
    const tenant = tenantOf(config.data) ?? this.policy.defaultTenant;
    const keys = [...(conversation ? [conversationKey(conversation)] : []), tenantKey(tenant)];
    const maxRetries = this.policy.maxRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      if (conversation) await this.policy.limiter.acquire(keys[0]!, this.policy.conversationRules);
      await this.policy.limiter.acquire(tenantKey(tenant), this.policy.tenantRules);
      try {
        return await super.request<T>(config);
      } catch (error) {
        if (!(error instanceof HttpError) || (error.status !== 429 && error.status !== 503) || attempt >= maxRetries) throw error;
        const waitMs = retryAfterMs(error.response.headers, this.policy.timeScale ?? 1) ?? (this.policy.fallbackRetryMs ?? 1_000) * 2 ** attempt;
        this.policy.onThrottled?.(error.status, waitMs);
        for (const key of keys) await this.policy.limiter.pause(key, waitMs);
      }
    }
  }
}

/** The conversation a connector path addresses (`v3/conversations/{id}/…`), decoded. */
export function conversationOf(url: string): string | undefined {
  const match = /(?:^|\/)v3\/conversations\/([^/?]+)/.exec(url);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}

function tenantOf(body: unknown): string | undefined {
  const record = asRecord(body);
  const fromConversation = asRecord(record?.conversation)?.tenantId;
  const fromChannelData = asRecord(asRecord(record?.channelData)?.tenant)?.id;
  const direct = record?.tenantId;
  for (const candidate of [fromConversation, direct, fromChannelData]) if (typeof candidate === 'string' && candidate) return candidate;
  return undefined;
}

/** Retry-After in seconds or as an HTTP date, scaled; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, timeScale = 1): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000 * timeScale));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) * timeScale));
}
