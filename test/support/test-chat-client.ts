/**
 * Talks to the conversation core directly, without HTTP: the unit-level
 * twin of `WebTestClient`. Uses the real core with in-memory repositories.
 */
import { randomUUID } from 'node:crypto';
import { createConversationCore, type ConversationCore } from '../../src/core/conversation/create-conversation-core.js';
import type { ConversationRef, PlatformName } from '../../src/core/messages/conversation-ref.js';
import type { ActionValue, InboundEvent } from '../../src/core/messages/inbound.js';
import type { OutboundEnvelope } from '../../src/core/messages/outbound.js';
import type { ChatPlatform, ReplyStream, Responder } from '../../src/core/ports/chat-platform.js';
import type { Repositories } from '../../src/core/ports/repositories.js';
import type { ProductSettings } from '../../src/core/product-settings.js';
import { createPseudonymizer } from '../../src/core/privacy/pseudonymizer.js';
import { createInMemoryRepositories } from '../../src/adapters/memory/create-in-memory-repositories.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { TEST_SECRET } from './start-test-relais.js';

export const TEST_SETTINGS: ProductSettings = {
  version: '0.0.0-test',
  defaultLocale: 'fr',
  timezone: 'Europe/Paris',
  humanContact: 'écrivez à accueil@exemple.fr',
  messageRetentionDays: 30,
  maxInboundTextLength: 4000,
};

/** What a responder saw: complete messages and streamed pieces. */
export class RecordingResponder implements Responder {
  readonly sent: OutboundEnvelope[] = [];
  readonly streamed: string[] = [];

  async send(envelope: OutboundEnvelope): Promise<void> {
    this.sent.push(envelope);
  }

  async startStream(): Promise<ReplyStream> {
    return {
      informative: async () => undefined,
      append: async (chunk) => {
        this.streamed.push(chunk);
      },
      end: async (final) => {
        this.sent.push(final);
      },
      abort: async () => undefined,
    };
  }
}

export interface TestCoreOptions {
  repositories?: Repositories;
  settings?: Partial<ProductSettings>;
  platforms?: Map<PlatformName, ChatPlatform>;
}

export function createTestCore(options: TestCoreOptions = {}): { core: ConversationCore; repositories: Repositories } {
  const repositories = options.repositories ?? createInMemoryRepositories();
  const core = createConversationCore({
    settings: { ...TEST_SETTINGS, ...options.settings },
    repositories,
    pseudonymizer: createPseudonymizer(Buffer.from(TEST_SECRET)),
    platforms: options.platforms ?? new Map(),
    clock: { now: () => new Date() },
    ids: { next: () => randomUUID() },
    logger: createSilentLogger(),
  });
  return { core, repositories };
}

export class TestChatClient {
  constructor(
    private readonly core: ConversationCore,
    readonly userId: string = `u-${randomUUID()}`,
    readonly conversation: ConversationRef = { platform: 'web', externalId: `conv-${randomUUID()}`, kind: 'direct' },
  ) {}

  async say(text: string): Promise<OutboundEnvelope[]> {
    return this.deliver({ ...this.base(), kind: 'message', text });
  }

  async act(actionId: string, value?: ActionValue): Promise<OutboundEnvelope[]> {
    return this.deliver({ ...this.base(), kind: 'action', actionId, value });
  }

  async join(): Promise<OutboundEnvelope[]> {
    return this.deliver({ ...this.base(), kind: 'joined' });
  }

  private base(): Omit<InboundEvent, 'kind'> {
    return {
      id: randomUUID(),
      platform: this.conversation.platform,
      conversation: this.conversation,
      sender: { externalId: this.userId },
      receivedAt: new Date(),
    };
  }

  private async deliver(event: InboundEvent): Promise<OutboundEnvelope[]> {
    const responder = new RecordingResponder();
    await this.core.service.handle(event, responder);
    return responder.sent;
  }
}

/** The markdown of every text block of some envelopes. */
export function markdownOf(envelopes: OutboundEnvelope[]): string {
  return envelopes
    .flatMap((e) => e.message.blocks)
    .map((b) => (b.type === 'text' ? b.markdown : ''))
    .join('\n');
}
