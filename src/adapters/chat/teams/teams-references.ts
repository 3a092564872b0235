/**
 * What the Teams adapter remembers between restarts, in the shared platform
 * state store (never message content):
 *
 * - `teams.direct`: the personal conversation of each user, captured at
 *   install and at each message, so the bot can write first later (Teams
 *   lets a bot post only into conversations it has a reference for). Keys
 *   are a hash of the user's id, not the id itself.
 * - `teams.tenants`: the service URL and bot account seen in each tenant,
 *   to create a personal conversation with someone who never wrote.
 * - `teams.feedback`: which answer a Teams message carries, since Teams'
 *   native feedback names only the message it rates.
 * - `teams.users`: the Teams account id ("29:…") behind an Entra object id,
 *   which Teams wants when the bot creates a personal chat.
 */
import { createHash } from 'node:crypto';
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { PlatformStateStore } from '../../../core/ports/platform-state.js';

export const DIRECT_NAMESPACE = 'teams.direct';
export const TENANT_NAMESPACE = 'teams.tenants';
export const FEEDBACK_NAMESPACE = 'teams.feedback';
export const USER_NAMESPACE = 'teams.users';

export interface TenantRoute {
  serviceUrl: string;
  botId: string;
  channelId: string;
}

const MEMO_SIZE = 5_000;

export class TeamsReferences {
  /** Last value written per key, so a message does not rewrite an unchanged reference. */
  private readonly written = new Map<string, string>();

  constructor(private readonly state: PlatformStateStore) {}

  async rememberDirect(userExternalId: string, ref: ConversationRef): Promise<void> {
    await this.setOnce(DIRECT_NAMESPACE, userKey(userExternalId), ref);
  }

  async direct(userExternalId: string): Promise<ConversationRef | undefined> {
    return this.state.get<ConversationRef>(DIRECT_NAMESPACE, userKey(userExternalId));
  }

  async rememberUser(userExternalId: string, teamsUserId: string): Promise<void> {
    await this.setOnce(USER_NAMESPACE, userKey(userExternalId), { teamsUserId });
  }

  async teamsUserId(userExternalId: string): Promise<string | undefined> {
    return (await this.state.get<{ teamsUserId: string }>(USER_NAMESPACE, userKey(userExternalId)))?.teamsUserId;
  }

  async rememberTenant(tenantId: string, route: TenantRoute): Promise<void> {
    await this.setOnce(TENANT_NAMESPACE, tenantId, route);
  }

  /** The route of `tenantId`, or of the only tenant seen when none is given. */
  async tenant(tenantId: string | undefined): Promise<{ tenantId: string; route: TenantRoute } | undefined> {
    if (tenantId) {
      const route = await this.state.get<TenantRoute>(TENANT_NAMESPACE, tenantId);
      return route ? { tenantId, route } : undefined;
    }
    const all = await this.state.list<TenantRoute>(TENANT_NAMESPACE);
    return all.length === 1 ? { tenantId: all[0]!.key, route: all[0]!.value } : undefined;
  }

  async rememberFeedback(conversationId: string, messageId: string, actionId: string): Promise<void> {
    await this.state.set(FEEDBACK_NAMESPACE, feedbackKey(conversationId, messageId), { actionId });
  }

  async feedbackAction(conversationId: string, messageId: string): Promise<string | undefined> {
    return (await this.state.get<{ actionId: string }>(FEEDBACK_NAMESPACE, feedbackKey(conversationId, messageId)))?.actionId;
  }

  private async setOnce(namespace: string, key: string, value: unknown): Promise<void> {
    const memoKey = `${namespace}\u0000${key}`;
    const json = JSON.stringify(value);
    if (this.written.get(memoKey) === json) return;
    await this.state.set(namespace, key, value);
    if (this.written.size >= MEMO_SIZE) this.written.delete(this.written.keys().next().value!);
    this.written.set(memoKey, json);
  }
}

function userKey(userExternalId: string): string {
  return createHash('sha256').update(`teams-user:${userExternalId}`).digest('hex').slice(0, 40);
}

function feedbackKey(conversationId: string, messageId: string): string {
  return createHash('sha256').update(`${conversationId}\u0000${messageId}`).digest('hex').slice(0, 40);
}
