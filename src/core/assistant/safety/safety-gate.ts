/**
 * The first step for every message a person writes: the distress check.
 * On crisis, human help is given at once and nothing else happens (no
 * corpus answer, no command); the audit log records the escalation, never
 * the text. The moderation classifier, when configured, is a second opinion
 * on free text only, bounded in time: safety must not wait on a remote
 * service that is slow or down.
 */
import { describeError } from '../../errors.js';
import type { ConversationContext } from '../../conversation/conversation-context.js';
import type { AuditLog } from '../../ports/repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { Moderator } from '../../ports/moderator.js';
import { combineWithModeration, detectDistress } from './distress-detector.js';
import type { DistressAssessment } from './distress.js';
import { escalationMessage } from './escalation-message.js';
import type { Locale } from '../../i18n/locale.js';
import type { OutboundMessage } from '../../messages/outbound.js';

export interface SafetyGateDeps {
  audit: AuditLog;
  clock: Clock;
  moderator?: Moderator;
  /** The institution's support contacts shown on escalation (RELAIS_INSTITUTION_CONTACTS). */
  institutionContacts?: string;
  /** Longest wait for the moderation classifier (default 3 s). */
  moderationTimeoutMs?: number;
}

export class SafetyGate {
  constructor(private readonly deps: SafetyGateDeps) {}

  /** The assessment of `text`: pattern detector, then moderation when `useModeration`. */
  async assess(text: string, useModeration: boolean, context?: ConversationContext): Promise<DistressAssessment> {
    const detected = detectDistress(text);
    if (detected.level === 'crisis' || !useModeration || !this.deps.moderator) return detected;
    const abort = new AbortController();
    try {
      const moderation = await this.withTimeout(this.deps.moderator.moderate(text, abort.signal));
      return combineWithModeration(detected, moderation);
    } catch (error) {
      context?.log.warn({ err: describeError(error) }, 'moderation unavailable; pattern detector only');
      return detected;
    } finally {
      // Past the deadline the answer is no longer wanted: stop its retries too.
      abort.abort();
    }
  }

  /** The crisis message: human help now (3114, emergency numbers, Nightline in its hours, the institution). */
  crisisMessage(locale: Locale, timezone: string, humanContact: string): OutboundMessage {
    return escalationMessage(locale, 'crisis', this.deps.clock.now(), timezone, {
      humanContact,
      ...(this.deps.institutionContacts ? { institutionContacts: this.deps.institutionContacts } : {}),
    });
  }

  /** Sends the escalation message when the assessment is a crisis; true when it did. */
  async escalateIfCrisis(context: ConversationContext, assessment: DistressAssessment): Promise<boolean> {
    if (assessment.level !== 'crisis') return false;
    await context.reply.send(this.crisisMessage(context.locale, context.settings.timezone, context.settings.humanContact));
    await this.recordEscalation(context, assessment);
    return true;
  }

  /** The audit trace of an escalation: level and signal codes, never the text. */
  async recordEscalation(context: ConversationContext, assessment: DistressAssessment): Promise<void> {
    await this.deps.audit.record({
      actorId: context.person.id,
      action: 'safety.escalation',
      subjectType: 'conversation',
      subjectId: context.conversation.id,
      outcome: 'ok',
      correlationId: context.event.id,
      details: { level: assessment.level, signals: assessment.signals },
    });
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.deps.moderationTimeoutMs ?? 3000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`moderation: no answer within ${ms} ms`)), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  }
}
