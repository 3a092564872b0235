/**
 * The entry point of every inbound event, whatever the platform:
 * identity → record → disclosure on first contact → command, action or free
 * text → replies. Any failure still tells the user something, in their
 * language, with a reference that appears in the logs.
 */
import { randomUUID } from 'node:crypto';
import { describeError, isRelaisError } from '../errors.js';
import { lazyChild } from '../lazy-logger.js';
import { localeFromHint, type Locale } from '../i18n/locale.js';
import { t } from '../i18n/translate.js';
import type { InboundAction, InboundEvent } from '../messages/inbound.js';
import { textMessage } from '../messages/outbound.js';
import type { InboundHandler, Responder } from '../ports/chat-platform.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { AuditLog, Person, PersonRepository, ConversationRepository, StoredContent } from '../ports/repositories.js';
import type { ProductSettings } from '../product-settings.js';
import type { IdentityService, ResolvedConversation } from '../identity/identity-service.js';
import type { ActionRegistry } from './action-registry.js';
import { looksLikeCommand, type CommandRegistry } from './command-registry.js';
import { helpMessage } from './commands/help.command.js';
import { unknownActionReply } from './commands/unknown-action.js';
import type { ConversationContext } from './conversation-context.js';
import { disclosureMessage } from './disclosure.js';
import type { MessageRecorder } from './message-recorder.js';
import { RecordingReplier, withDefaultFooter } from './recording-replier.js';

/**
 * Handles free text that is not a command. The foundation answers with help;
 * the reflective assistant replaces it.
 */
export type FreeTextHandler = (context: ConversationContext, text: string) => Promise<void>;

/**
 * Runs before anything else on what a person writes (messages and typed
 * answers): true when it handled the message itself (distress: human help
 * was given, nothing else must happen).
 */
export type SafetyHook = (context: ConversationContext, text: string) => Promise<boolean>;

/**
 * Decides, before an inbound event is recorded, whether what the person gave
 * must stay out of the conversation log (for example answers to an
 * anonymous questionnaire): returns the content to record instead, or null
 * to record the event as it is. Handlers still receive the full event.
 */
export type ConfidentialityPolicy = (
  event: InboundEvent,
  who: { personId: string; conversation: ResolvedConversation; locale: Locale },
) => Promise<StoredContent | null>;

export interface ConversationServiceDeps {
  settings: ProductSettings;
  identities: IdentityService;
  people: PersonRepository;
  conversations: ConversationRepository;
  recorder: MessageRecorder;
  audit: AuditLog;
  commands: CommandRegistry;
  actions: ActionRegistry;
  clock: Clock;
  logger: Logger;
  /** Default: the "not recognised" answer listing what the bot can do. */
  freeText?: FreeTextHandler;
  safety?: SafetyHook;
  /** Default: every event is recorded as received. */
  confidentiality?: ConfidentialityPolicy;
}

export class ConversationService {
  private readonly log: Logger;
  private readonly freeText: FreeTextHandler;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.log = deps.logger.child({ scope: 'conversation' });
    this.freeText = deps.freeText ?? ((context) => this.replyNotRecognised(context));
  }

  /** The handler adapters call for each inbound event. */
  readonly handle: InboundHandler = async (event, responder) => {
    const log = lazyChild(this.log, { correlationId: event.id, platform: event.platform, kind: event.kind });
    let locale: Locale = localeFromHint(event.localeHint) ?? this.deps.settings.defaultLocale;
    try {
      const person = await this.deps.identities.resolvePerson(event.platform, event.sender.externalId);
      locale = person.locale ?? locale;
      const conversation = await this.deps.identities.resolveConversation(event.conversation);
      // Decided before recording: a confidential answer never reaches the log, even briefly.
      const redacted = (await this.deps.confidentiality?.(event, { personId: person.id, conversation, locale })) ?? undefined;
      await this.deps.recorder.recordInbound(event, conversation, person.id, locale, redacted);
      const context = this.contextFor(event, person, conversation, locale, responder, log);
      await this.dispatch(context);
    } catch (error) {
      await this.replyWithError(error, event, responder, locale, log);
    }
  };

  private contextFor(
    event: InboundEvent,
    person: Person,
    conversation: ResolvedConversation,
    locale: Locale,
    responder: Responder,
    log: Logger,
  ): ConversationContext {
    const addressee = conversation.kind === 'direct' ? person.id : null;
    const context: ConversationContext = {
      event,
      person,
      conversation,
      locale,
      settings: this.deps.settings,
      log,
      reply: new RecordingReplier(responder, this.deps.recorder, conversation, addressee, () => context.locale),
      setLocale: async (next) => {
        await this.deps.people.setLocale(person.id, next);
        context.locale = next;
        context.person = { ...context.person, locale: next };
      },
    };
    return context;
  }

  private async dispatch(context: ConversationContext): Promise<void> {
    const { event } = context;
    if (event.kind === 'joined') {
      await this.greetConversation(context);
      return;
    }
    await this.discloseOnFirstContact(context);
    if (event.kind === 'action') {
      await this.routeAction(context, event);
      return;
    }
    await this.routeText(context, event.text);
  }

  private async greetConversation(context: ConversationContext): Promise<void> {
    const { conversation } = context;
    if (!(await this.deps.conversations.markGreeted(conversation.id, this.deps.clock.now()))) return;
    const audience = conversation.kind === 'direct' ? 'person' : 'channel';
    await context.reply.send(disclosureMessage(context.locale, this.deps.settings, audience));
    if (audience === 'person') await this.deps.people.markDisclosed(context.person.id, this.deps.clock.now());
    await this.audit(context, 'conversation.disclosure_shown', { audience });
  }

  private async discloseOnFirstContact(context: ConversationContext): Promise<void> {
    if (context.person.disclosedAt) return;
    // Set-once in the store: concurrent first messages show the disclosure once.
    if (!(await this.deps.people.markDisclosed(context.person.id, this.deps.clock.now()))) return;
    await context.reply.send(disclosureMessage(context.locale, this.deps.settings, 'person'));
    await this.audit(context, 'conversation.disclosure_shown', { audience: 'person' });
  }

  private async routeText(context: ConversationContext, text: string): Promise<void> {
    if (text.trim() === '') {
      await context.reply.send(textMessage(t(context.locale, 'unknown.emptyMessage')));
      return;
    }
    if (await this.deps.safety?.(context, text)) return;
    const match = this.deps.commands.match(text);
    if (match) {
      await match.command.run(context, match.args);
      await this.audit(context, 'conversation.command', { command: match.command.id });
      return;
    }
    if (looksLikeCommand(text)) {
      await this.replyNotRecognised(context);
      return;
    }
    await this.freeText(context, text);
  }

  private async routeAction(context: ConversationContext, action: InboundAction): Promise<void> {
    // Typed answers (comments, free-text questions) are checked like messages; clicks carry no words.
    if (typeof action.value === 'string' && /\S+\s+\S+\s+\S+/.test(action.value) && (await this.deps.safety?.(context, action.value))) return;
    const target = this.deps.actions.resolve(action.actionId);
    if (!target) {
      await unknownActionReply(context);
      return;
    }
    await target.handler.handle(context, action, target.rest);
    await this.audit(context, 'conversation.action', { namespace: target.handler.namespace });
  }

  private async replyNotRecognised(context: ConversationContext): Promise<void> {
    await context.reply.send(helpMessage(this.deps.commands, context.locale, t(context.locale, 'unknown.intro')));
  }

  private async audit(context: ConversationContext, action: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({
      actorId: context.person.id,
      action,
      subjectType: 'conversation',
      subjectId: context.conversation.id,
      outcome: 'ok',
      correlationId: context.event.id,
      details,
    });
  }

  /**
   * Last resort: the store may be what failed, so the error message goes to
   * the platform without being recorded.
   */
  private async replyWithError(
    error: unknown,
    event: InboundEvent,
    responder: Responder,
    locale: Locale,
    log: Logger,
  ): Promise<void> {
    const ref = randomUUID().slice(0, 8);
    log.error({ err: describeError(error), ref }, 'inbound event failed');
    const key = isRelaisError(error) ? error.userMessage : 'error.generic';
    const message = withDefaultFooter({ ...textMessage(t(locale, key, { ref })), purpose: 'error' }, locale);
    try {
      await responder.send({
        id: `error-${ref}`,
        cursor: '',
        createdAt: this.deps.clock.now(),
        conversationId: '',
        locale,
        message,
      });
    } catch (sendError) {
      log.error({ err: describeError(sendError), ref }, 'error reply could not be delivered');
    }
  }
}
