/**
 * Drives Relais through its public web API, as any client would:
 * `await client.say('aide')` returns the replies.
 */
import { randomUUID } from 'node:crypto';
import type { WebBlock, WebMessage } from '../../src/adapters/chat/web/web-message.js';

export interface WebReply {
  conversationId: string;
  replies: WebMessage[];
  cursor: string | null;
}

export class WebTestClient {
  conversationId: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly userId: string = `user-${randomUUID()}`,
    private readonly headers: Record<string, string> = {},
  ) {}

  async say(text: string, extra: Record<string, unknown> = {}): Promise<WebMessage[]> {
    const body = await this.post<WebReply>('/api/web/messages', {
      userId: this.userId,
      text,
      ...(this.conversationId ? { conversationId: this.conversationId } : {}),
      ...extra,
    });
    this.conversationId = body.conversationId;
    return body.replies;
  }

  async act(actionId: string, value?: unknown): Promise<WebMessage[]> {
    const body = await this.post<WebReply>('/api/web/actions', {
      userId: this.userId,
      conversationId: this.conversationId ?? 'inbox',
      actionId,
      ...(value === undefined ? {} : { value }),
    });
    return body.replies;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}: ${JSON.stringify(json)}`), { status: res.status, body: json });
    return json;
  }
}

/** All the markdown of some replies, for assertions on wording. */
export function textOf(messages: WebMessage[]): string {
  return messages
    .flatMap((m) => m.blocks)
    .map((b) => (b.type === 'text' ? b.markdown : ''))
    .join('\n');
}

/** Everything Relais sent a web user (up to `limit` messages), oldest first: what their page shows. */
export async function webHistory(url: string, userId: string, limit = 200): Promise<WebMessage[]> {
  return ((await (await fetch(`${url}/api/web/users/${userId}/messages?limit=${limit}`)).json()) as { messages: WebMessage[] }).messages;
}

/** The latest block of the replies asking for an answer (a question, a button row), feedback aside. */
export function inputOf(messages: WebMessage[]): Extract<WebBlock, { actionId: string }> | undefined {
  return messages
    .flatMap((m) => m.blocks)
    .filter((b): b is Extract<WebBlock, { actionId: string }> => 'actionId' in b && b.type !== 'feedback')
    .at(-1);
}

/** How many of the messages contain `text`. */
export const countContaining = (messages: WebMessage[], text: string): number => messages.filter((m) => textOf([m]).includes(text)).length;
