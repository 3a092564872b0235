/**
 * Validation of web API requests and their mapping to neutral inbound events
 * (pure: no I/O). Invalid input becomes a `ValidationError` whose details
 * name each bad field.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RelaisError, ValidationError } from '../../../core/errors.js';
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { InboundAction, InboundMessage } from '../../../core/messages/inbound.js';

/** Web user ids are chosen by the client (the page makes a random one); keep them simple and bounded. */
export const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The conversation proactive messages go to when the bot starts the exchange. */
export const INBOX_CONVERSATION_ID = 'inbox';

const userId = z.string({ error: 'required, a string' }).regex(USER_ID, 'letters, digits and . _ : @ - only, 1 to 128 characters');
const conversationId = z.string().regex(CONVERSATION_ID, 'letters, digits, _ and - only, 1 to 64 characters');

const messageBody = z.object({
  conversationId: conversationId.optional(),
  userId,
  text: z.string({ error: 'required, a string' }),
  locale: z.string().max(35).optional(),
});

const actionBody = z.object({
  conversationId,
  userId,
  actionId: z.string({ error: 'required, a string' }).min(1).max(200),
  value: z.union([z.string().max(20_000), z.number().finite(), z.array(z.string().max(2000)).max(100)]).optional(),
  messageId: z.string().max(100).optional(),
  locale: z.string().max(35).optional(),
});

export type WebMessageRequest = z.infer<typeof messageBody>;
export type WebActionRequest = z.infer<typeof actionBody>;

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('web.invalid_request', 'the request body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
    throw new ValidationError('web.invalid_request', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
  }
  return result.data;
}

export function webConversationRef(user: string, conversation: string): ConversationRef {
  return {
    platform: 'web',
    externalId: `${user}/${conversation}`,
    kind: 'direct',
    routing: { userId: user, conversationId: conversation },
  };
}

export function parseMessageRequest(body: unknown, maxTextLength: number): WebMessageRequest & { conversationId: string } {
  const request = parse(messageBody, body);
  if (request.text.length > maxTextLength) {
    throw new RelaisError('web.message_too_long', `text is ${request.text.length} characters; the limit is ${maxTextLength}`, {
      userMessage: 'error.tooLong',
      details: { length: request.text.length, limit: maxTextLength },
    });
  }
  return { ...request, conversationId: request.conversationId ?? randomUUID() };
}

export function parseActionRequest(body: unknown): WebActionRequest {
  return parse(actionBody, body);
}

export function toInboundMessage(request: WebMessageRequest & { conversationId: string }, receivedAt: Date): InboundMessage {
  return {
    kind: 'message',
    id: randomUUID(),
    platform: 'web',
    conversation: webConversationRef(request.userId, request.conversationId),
    sender: { externalId: request.userId },
    receivedAt,
    text: request.text,
    ...(request.locale ? { localeHint: request.locale } : {}),
  };
}

export function toInboundAction(request: WebActionRequest, receivedAt: Date): InboundAction {
  return {
    kind: 'action',
    id: randomUUID(),
    platform: 'web',
    conversation: webConversationRef(request.userId, request.conversationId),
    sender: { externalId: request.userId },
    receivedAt,
    actionId: request.actionId,
    value: request.value,
    ...(request.messageId ? { messageId: request.messageId } : {}),
    ...(request.locale ? { localeHint: request.locale } : {}),
  };
}
