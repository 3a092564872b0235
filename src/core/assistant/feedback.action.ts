/**
 * Useful / not useful on an answer (`feedback:<answerId>`, value "up" or
 * "down"), stored with the answer; after "not useful", an optional comment
 * (`feedback-comment:<answerId>`). One rating per person and answer: a
 * second click replaces the first.
 */
import type { ActionHandler } from '../conversation/action-registry.js';
import { t } from '../i18n/translate.js';
import { textMessage } from '../messages/outbound.js';
import type { AnswerRepository } from '../ports/answer-repository.js';
import type { AuditLog } from '../ports/repositories.js';
import type { Clock } from '../ports/clock.js';
import { FEEDBACK_NAMESPACE } from './reflective-assistant.js';

export const FEEDBACK_COMMENT_NAMESPACE = 'feedback-comment';
const MAX_COMMENT = 2000;

export function createFeedbackActions(answers: AnswerRepository, audit: AuditLog, clock: Clock): ActionHandler[] {
  const rating: ActionHandler = {
    namespace: FEEDBACK_NAMESPACE,
    async handle(context, action, answerId) {
      const answer = await answers.get(answerId);
      if (!answer || (action.value !== 'up' && action.value !== 'down')) {
        await context.reply.send(textMessage(t(context.locale, 'feedback.unknown')));
        return;
      }
      await answers.saveFeedback({ answerId, personId: context.person.id, rating: action.value, comment: null }, clock.now());
      await audit.record({ actorId: context.person.id, action: 'assistant.feedback', subjectType: 'answer', subjectId: answerId, outcome: 'ok', details: { rating: action.value } });
      if (action.value === 'up') {
        await context.reply.send(textMessage(t(context.locale, 'feedback.thanks.up')));
        return;
      }
      await context.reply.send({
        blocks: [
          { type: 'text', markdown: t(context.locale, 'feedback.thanks.down') },
          {
            type: 'text-input',
            actionId: `${FEEDBACK_COMMENT_NAMESPACE}:${answerId}`,
            label: t(context.locale, 'feedback.comment.label'),
            placeholder: t(context.locale, 'feedback.comment.placeholder'),
            multiline: true,
            maxLength: MAX_COMMENT,
            required: false,
            submitLabel: t(context.locale, 'feedback.comment.submit'),
          },
        ],
      });
    },
  };
  const comment: ActionHandler = {
    namespace: FEEDBACK_COMMENT_NAMESPACE,
    async handle(context, action, answerId) {
      const text = typeof action.value === 'string' ? action.value.trim().slice(0, MAX_COMMENT) : '';
      if (text && (await answers.commentFeedback(answerId, context.person.id, text, clock.now()))) {
        await context.reply.send(textMessage(t(context.locale, 'feedback.comment.thanks')));
        return;
      }
      await context.reply.send(textMessage(t(context.locale, text ? 'feedback.unknown' : 'feedback.thanks.up')));
    },
  };
  return [rating, comment];
}
