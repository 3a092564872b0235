/**
 * Messages the bot starts (survey invitations, reminders, digests): opens
 * the person's direct conversation on each platform they use, records the
 * message, then delivers it. A person who never saw the AI disclosure gets
 * it first (AI Act art. 50: at the latest at the first interaction).
 */
import { describeError, RelaisError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import type { ConversationRef, PlatformName } from '../messages/conversation-ref.js';
import type { OutboundEnvelope, OutboundMessage } from '../messages/outbound.js';
import type { ChatPlatform } from '../ports/chat-platform.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { AuditLog, PersonRepository } from '../ports/repositories.js';
import type { ProductSettings } from '../product-settings.js';
import type { IdentityService, ResolvedConversation } from '../identity/identity-service.js';
import { disclosureMessage } from './disclosure.js';
import type { MessageRecorder } from './message-recorder.js';
import { withDefaultFooter } from './recording-replier.js';

/** A message, or a function that writes it in the addressee's locale. */
export type MessageSource = OutboundMessage | ((locale: Locale) => OutboundMessage);

export interface DeliveryResult {
  platform: PlatformName;
  delivered: boolean;
  envelopeId?: string;
  /** Error code when not delivered (e.g. platform.not_installed). */
  error?: string;
}

export interface ProactiveMessengerDeps {
  platforms: ReadonlyMap<PlatformName, ChatPlatform>;
  identities: IdentityService;
  people: PersonRepository;
  recorder: MessageRecorder;
  audit: AuditLog;
  settings: ProductSettings;
  clock: Clock;
  logger: Logger;
}

export class ProactiveMessenger {
  private readonly log: Logger;

  constructor(private readonly deps: ProactiveMessengerDeps) {
    this.log = deps.logger.child({ scope: 'proactive' });
  }

  /** Sends to every platform account of a person (or only `platform`). */
  async sendToPerson(personId: string, source: MessageSource, platform?: PlatformName): Promise<DeliveryResult[]> {
    const person = await this.deps.people.get(personId);
    if (!person) return [];
    const locale = person.locale ?? this.deps.settings.defaultLocale;
    const accounts = (await this.deps.identities.externalIdsOf(personId)).filter((a) => !platform || a.platform === platform);
    const results: DeliveryResult[] = [];
    for (const account of accounts) {
      results.push(await this.deliverDirect(personId, account.platform, account.externalId, locale, source, !person.disclosedAt));
    }
    return results;
  }

  /** Posts into a known conversation (a team channel). */
  async sendToConversation(ref: ConversationRef, source: MessageSource, locale?: Locale): Promise<OutboundEnvelope> {
    const platform = this.platform(ref.platform);
    const conversation = await this.deps.identities.resolveConversation(ref);
    const effective = locale ?? this.deps.settings.defaultLocale;
    return this.recordAndSend(platform, conversation, null, render(source, effective), effective);
  }

  private async deliverDirect(
    personId: string,
    platformName: PlatformName,
    externalId: string,
    locale: Locale,
    source: MessageSource,
    needsDisclosure: boolean,
  ): Promise<DeliveryResult> {
    try {
      const platform = this.platform(platformName);
      const ref = await platform.openDirect(externalId);
      const conversation = await this.deps.identities.resolveConversation(ref);
      if (needsDisclosure && (await this.deps.people.markDisclosed(personId, this.deps.clock.now()))) {
        await this.recordAndSend(platform, conversation, personId, disclosureMessage(locale, this.deps.settings, 'person'), locale);
        await this.deps.audit.record({
          actorId: null,
          action: 'conversation.disclosure_shown',
          subjectType: 'person',
          subjectId: personId,
          outcome: 'ok',
          details: { audience: 'person', proactive: true },
        });
      }
      const envelope = await this.recordAndSend(platform, conversation, personId, render(source, locale), locale);
      return { platform: platformName, delivered: true, envelopeId: envelope.id };
    } catch (error) {
      const { code } = describeError(error);
      this.log.warn({ err: describeError(error), platform: platformName, personId }, 'proactive delivery failed');
      await this.deps.audit.record({
        actorId: null,
        action: 'proactive.delivery_failed',
        subjectType: 'person',
        subjectId: personId,
        outcome: 'error',
        details: { platform: platformName, code },
      });
      return { platform: platformName, delivered: false, error: code };
    }
  }

  private async recordAndSend(
    platform: ChatPlatform,
    conversation: ResolvedConversation,
    personId: string | null,
    message: OutboundMessage,
    locale: Locale,
  ): Promise<OutboundEnvelope> {
    const envelope = await this.deps.recorder.recordOutbound(
      conversation,
      personId,
      withDefaultFooter({ purpose: 'proactive', ...message }, locale),
      locale,
    );
    await platform.send(conversation.ref, envelope);
    return envelope;
  }

  private platform(name: PlatformName): ChatPlatform {
    const platform = this.deps.platforms.get(name);
    if (!platform) throw new RelaisError('platform.not_running', `platform ${name} is not running`);
    return platform;
  }
}

function render(source: MessageSource, locale: Locale): OutboundMessage {
  return typeof source === 'function' ? source(locale) : source;
}
