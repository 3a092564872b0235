/**
 * Helpers for the assistant's integration tests: reading the answer out of
 * web replies, and the requests the Mistral fake received.
 */
import type { WebBlock, WebMessage } from '../../src/adapters/chat/web/web-message.js';
import type { Citation } from '../../src/core/messages/outbound.js';
import type { Relais } from '../../src/main.js';
import type { FakeChatMessage, MistralFake, RecordedRequest } from '../fakes/mistral-fake-server.js';
import { waitFor } from './wait-for.js';

/** The reply carrying the assistant's answer (the one with a feedback block). */
export function answerOf(replies: WebMessage[]): WebMessage {
  const answer = replies.find((m) => m.blocks.some((b) => b.type === 'feedback'));
  if (!answer) throw new Error(`no answer among the replies: ${JSON.stringify(replies.map((r) => r.blocks.map((b) => b.type)))}`);
  return answer;
}

export function blocksOf<T extends WebBlock['type']>(message: WebMessage, type: T): Extract<WebBlock, { type: T }>[] {
  return message.blocks.filter((b): b is Extract<WebBlock, { type: T }> => b.type === type);
}

export function citationsOf(message: WebMessage): Citation[] {
  return blocksOf(message, 'citations').flatMap((b) => b.items);
}

/** The markdown of the first text block. */
export function answerText(message: WebMessage): string {
  return blocksOf(message, 'text')[0]?.markdown ?? '';
}

/** `feedback:<answerId>` → answerId. */
export function answerIdOf(message: WebMessage): string {
  const feedback = blocksOf(message, 'feedback')[0];
  if (!feedback) throw new Error('the message has no feedback block');
  return feedback.actionId.replace(/^feedback:/, '');
}

/** Everything a person can read in some messages: text, citation titles, sources and excerpts. */
export function visibleText(messages: WebMessage[]): string {
  return messages
    .flatMap((m) => m.blocks)
    .map((b) => {
      if (b.type === 'text') return b.markdown;
      if (b.type === 'citations') return b.items.map((i) => [i.title, i.source ?? '', i.excerpt ?? ''].join('\n')).join('\n');
      return '';
    })
    .join('\n');
}

/** Collapses white space, for "this passage appears" checks across line breaks. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Waits for the ingestion started with Relais (the `corpus.ingest` job) to finish. */
export async function waitForIngestion(relais: Relais, runs = 1, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await relais.repositories.audit.list({ action: 'corpus.ingested' })).length >= runs, timeoutMs);
}

export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  messages: FakeChatMessage[];
}

export function chatRequests(fake: MistralFake): (RecordedRequest & { body: ChatRequestBody })[] {
  return fake.requestsTo('/v1/chat/completions') as (RecordedRequest & { body: ChatRequestBody })[];
}

export function contentOf(message: FakeChatMessage | undefined): string {
  if (!message) return '';
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) return message.content.map((c: { text?: string }) => c.text ?? '').join('');
  return '';
}

/** The inputs of every embeddings request the fake answered or not. */
export function embeddingInputs(fake: MistralFake): string[] {
  return fake.requestsTo('/v1/embeddings').flatMap((r) => {
    const input = (r.body as { input?: string | string[] } | undefined)?.input;
    return typeof input === 'string' ? [input] : (input ?? []);
  });
}

/** The fake's token estimate (4 characters per token), to compare with what Relais recorded. */
export function fakeTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** `<extrait …>` blocks of a prompt: their attributes and inner text. */
export function extraitBlocks(prompt: string): { n: number; title: string; quotable: boolean; text: string }[] {
  return [...prompt.matchAll(/<extrait n="(\d+)" titre="([^"]*)"[^>]*citation="([^"]*)">\n([\s\S]*?)\n<\/extrait>/g)].map((m) => ({
    n: Number(m[1]),
    title: m[2]!,
    quotable: m[3] === 'citation autorisée',
    text: m[4]!,
  }));
}
