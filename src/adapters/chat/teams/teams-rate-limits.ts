/**
 * Microsoft Teams' documented outbound limits for bots, and the limiter keys
 * they apply to. Every request to the Bot Connector counts.
 */
import type { RateRule } from '../../rate-limit/rate-limiter.js';
import { splitThread } from './teams-activity.js';

/** Per bot per conversation: 7 per second, 8 per 2 s, 60 per 30 s, 1,800 per hour. */
export const TEAMS_CONVERSATION_RULES: readonly RateRule[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Per app per tenant: 30 requests per second. */
export const TEAMS_TENANT_RULES: readonly RateRule[] = [{ limit: 30, windowMs: 1_000 }];

/** Scales every window (for a fake whose clock runs faster); 1 = the documented limits. */
export function scaleRules(rules: readonly RateRule[], timeScale: number): RateRule[] {
  return rules.map((r) => ({ limit: r.limit, windowMs: Math.max(1, Math.round(r.windowMs * timeScale)) }));
}

export function conversationKey(conversationId: string): string {
  // A channel's threads share the channel's budget.
  return `teams:conv:${splitThread(conversationId).base}`;
}

export function tenantKey(tenantId: string): string {
  return `teams:tenant:${tenantId}`;
}
