/**
 * Neutral messages of the answering flow: one question at a time, with the
 * control that fits its type (each adapter renders it natively, numbered
 * text as a fallback). Action ids are `survey:<ref>:<questionId>`, where
 * `ref` names the response: its id in named campaigns; in anonymous ones only
 * `anon:<campaignId>` — the response is found again through the one-way
 * respondent token, so the conversation log (which keeps every message with
 * the person's id) cannot lead to it.
 */
import type { Locale } from '../i18n/locale.js';
import type { InputBlock, MessageBlock, OutboundMessage } from '../messages/outbound.js';
import { localize, type SurveyDefinition, type SurveyQuestion } from './survey-definition.js';
import { st } from './survey-texts.js';

export const SURVEY_NAMESPACE = 'survey';
/** Button value meaning "skip this optional question". */
export const SKIP_VALUE = '~skip';

/** First part of the `ref` of anonymous campaigns; also what is recorded instead of their action ids. */
export const ANONYMOUS_REF = 'anon';

/** How action ids name a response (see above). */
export const responseRef = (campaign: { id: string; anonymity: { mode: string } }, responseId: string): string =>
  campaign.anonymity.mode === 'anonymous' ? `${ANONYMOUS_REF}:${campaign.id}` : responseId;

/** The campaign id of an anonymous `ref`, null for a response id. */
export const anonymousCampaignOf = (ref: string): string | null => (ref.startsWith(`${ANONYMOUS_REF}:`) ? ref.slice(ANONYMOUS_REF.length + 1) : null);

/** Splits what follows `survey:` into the response ref, the question id (or `~edit`, `~ask`) and what comes after. */
export function parseResponseAction(rest: string): { ref: string; questionId: string; extra: string | undefined } {
  const parts = rest.split(':');
  const refLength = parts[0] === ANONYMOUS_REF ? 2 : 1;
  const [questionId = '', extra] = parts.slice(refLength);
  return { ref: parts.slice(0, refLength).join(':'), questionId, extra };
}

export const answerActionId = (ref: string, questionId: string): string => `${SURVEY_NAMESPACE}:${ref}:${questionId}`;
export const startActionId = (campaignId: string): string => `${SURVEY_NAMESPACE}:start:${campaignId}`;
export const editActionId = (ref: string): string => `${SURVEY_NAMESPACE}:${ref}:~edit`;
export const askActionId = (ref: string, questionId: string): string => `${SURVEY_NAMESPACE}:${ref}:~ask:${questionId}`;

export function inputBlock(question: SurveyQuestion, actionId: string, locale: Locale): InputBlock {
  const unit = localize(question.unit, locale);
  const label = `${localize(question.label, locale)}${unit ? ` (${unit})` : ''}${question.required ? '' : ` ${st(locale, 'question.optional')}`}`;
  const submitLabel = st(locale, 'button.send');
  switch (question.type) {
    case 'single':
    case 'multi':
      return {
        type: 'choice',
        actionId,
        label,
        multiple: question.type === 'multi',
        required: question.required,
        options: question.options!.map((o) => ({ value: o.value, label: localize(o.label, locale) })),
        ...(question.type === 'multi' ? { submitLabel } : {}),
      };
    case 'scale':
      return {
        type: 'scale',
        actionId,
        label,
        min: question.min!,
        max: question.max!,
        required: question.required,
        ...(question.minLabel ? { minLabel: localize(question.minLabel, locale) } : {}),
        ...(question.maxLabel ? { maxLabel: localize(question.maxLabel, locale) } : {}),
      };
    case 'number':
      return {
        type: 'number',
        actionId,
        label,
        required: question.required,
        submitLabel,
        ...(question.min !== undefined ? { min: question.min } : {}),
        ...(question.max !== undefined ? { max: question.max } : {}),
        ...(unit ? { unit } : {}),
      };
    case 'text':
      return { type: 'text-input', actionId, label, multiline: true, required: question.required, submitLabel, maxLength: question.maxLength ?? 2000 };
  }
}

export function questionMessage(
  definition: SurveyDefinition,
  question: SurveyQuestion,
  ref: string,
  position: { n: number; total: number },
  locale: Locale,
  prefix?: string,
): OutboundMessage {
  const header = st(locale, 'question.progress', { title: localize(definition.title, locale), n: position.n, total: position.total });
  const help = localize(question.help, locale);
  const typed =
    question.type === 'single' || question.type === 'multi'
      ? `\n\n${st(locale, 'question.typed', { multi: question.type === 'multi' ? st(locale, 'question.typedMulti') : '' })}`
      : '';
  const blocks: MessageBlock[] = [
    { type: 'text', markdown: `${prefix ? `${prefix}\n\n` : ''}${header}${help ? `\n\n${help}` : ''}${typed}` },
    inputBlock(question, answerActionId(ref, question.id), locale),
  ];
  if (!question.required) {
    blocks.push({ type: 'buttons', buttons: [{ actionId: answerActionId(ref, question.id), value: SKIP_VALUE, label: st(locale, 'button.skip') }] });
  }
  return { blocks };
}
