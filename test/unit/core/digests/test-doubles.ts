/** Small objects implementing the digest's ports, for the tests (ports, not module mocks). */
import type { DigestData, DigestDataSource, DigestSender } from '../../../../src/core/digests/digest-data-source.js';
import type { Locale } from '../../../../src/core/i18n/locale.js';
import type { OutboundMessage } from '../../../../src/core/messages/outbound.js';
import type { ChatMessage, ChatResult, LanguageModel } from '../../../../src/core/ports/language-model.js';
import type { Logger } from '../../../../src/core/ports/logger.js';

export class ScriptedModel implements LanguageModel {
  readonly model = 'modele-test';
  readonly prompts: ChatMessage[][] = [];
  constructor(private readonly answer: (prompt: ChatMessage[]) => string | Error) {}
  async complete(messages: ChatMessage[]): Promise<ChatResult> {
    this.prompts.push(messages);
    const answer = this.answer(messages);
    if (answer instanceof Error) throw answer;
    return { text: answer, model: this.model, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, finishReason: 'stop' };
  }
  // eslint-disable-next-line require-yield
  async *stream(): AsyncIterable<never> {
    throw new Error('not used');
  }
}

export class MemoryDigestSource implements DigestDataSource {
  readonly claims = new Set<string>();
  constructor(private readonly data: Map<string, DigestData>) {}
  async load(teamId: string): Promise<DigestData | null> {
    return this.data.get(teamId) ?? null;
  }
  async claimDelivery(teamId: string, periodKey: string, personId: string): Promise<boolean> {
    const key = `${teamId}|${periodKey}|${personId}`;
    if (this.claims.has(key)) return false;
    this.claims.add(key);
    return true;
  }
  async releaseDelivery(teamId: string, periodKey: string, personId: string): Promise<void> {
    this.claims.delete(`${teamId}|${periodKey}|${personId}`);
  }
}

export class RecordingSender implements DigestSender {
  readonly sent: Array<{ personId: string; fr: OutboundMessage; en: OutboundMessage }> = [];
  failFor = new Set<string>();
  async sendToPerson(personId: string, source: (locale: Locale) => OutboundMessage): Promise<Array<{ delivered: boolean; error?: string }>> {
    if (this.failFor.has(personId)) return [{ delivered: false, error: 'platform.not_installed' }];
    this.sent.push({ personId, fr: source('fr'), en: source('en') });
    return [{ delivered: true }];
  }
}

export interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message?: string;
}

export function recordingLogger(lines: LogLine[] = [], bindings: Record<string, unknown> = {}): Logger {
  const at =
    (level: string) =>
    (a: string | Record<string, unknown>, b?: string): void => {
      lines.push(typeof a === 'string' ? { level, fields: bindings, message: a } : { level, fields: { ...bindings, ...a }, ...(b ? { message: b } : {}) });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => recordingLogger(lines, { ...bindings, ...more }) };
}
