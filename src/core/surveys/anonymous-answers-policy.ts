/**
 * Keeps answers to anonymous campaigns out of the conversation log, which
 * stores every inbound event with the person's id for the retention period.
 * Decided before the event is recorded (`ConfidentialityPolicy` of the
 * conversation service):
 *
 * - a click or form on an anonymous question is recorded as the action id
 *   `survey:anon` with no value;
 * - a message typed while an anonymous question waits for this person's
 *   typed reply is recorded as a neutral marker, whatever it says (the
 *   answer itself is stored only in the response, found by the one-way
 *   respondent token).
 *
 * The answering flow still receives the full event.
 */
import type { ConfidentialityPolicy } from '../conversation/conversation-service.js';
import type { StoredContent } from '../ports/repositories.js';
import { ANONYMOUS_REF, parseResponseAction, SURVEY_NAMESPACE } from './question-message.js';
import { questionAwaitingTypedReply, type SurveyChatDeps } from './survey-chat.js';
import { st } from './survey-texts.js';

/** The action id recorded instead of an anonymous answer's. */
export const REDACTED_ACTION_ID = `${SURVEY_NAMESPACE}:${ANONYMOUS_REF}`;

export function createAnonymousAnswersPolicy(deps: Pick<SurveyChatDeps, 'answering' | 'messages'>): ConfidentialityPolicy {
  return async (event, { personId, conversation, locale }): Promise<StoredContent | null> => {
    if (event.kind === 'action') {
      if (!event.actionId.startsWith(`${SURVEY_NAMESPACE}:`)) return null;
      const rest = event.actionId.slice(SURVEY_NAMESPACE.length + 1);
      if (rest.startsWith('start:')) return null;
      const { ref } = parseResponseAction(rest);
      return (await deps.answering.isAnonymousRef(ref)) ? { kind: 'action', actionId: REDACTED_ACTION_ID, value: null } : null;
    }
    if (event.kind !== 'message' || conversation.kind !== 'direct') return null;
    const pending = await questionAwaitingTypedReply(deps, conversation.id, personId);
    return pending?.anonymous ? { kind: 'text', text: st(locale, 'anonymous.redacted') } : null;
  };
}
