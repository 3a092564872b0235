/**
 * Answering a campaign in private messages: one question at a time, each
 * answer stored before anything is said back, resumable at any time,
 * editable until the campaign closes. Anonymous campaigns find a response
 * in progress by a one-way respondent token, never by person id.
 *
 * Every method returns the messages to send back; the caller sends them.
 */
import type { Locale } from '../i18n/locale.js';
import type { OutboundMessage } from '../messages/outbound.js';
import { textMessage } from '../messages/outbound.js';
import type { Campaign, CampaignRepository, RespondentKey, SurveyResponse } from '../ports/campaign-repository.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { AuditLog, MessageRepository } from '../ports/repositories.js';
import { assessAiAct, formatAiActResult } from './ai-act-assessment.js';
import { checkAnswer, isVisible, nextQuestion, visibleAnswers, visibleQuestions, type AnswerValue, type Answers } from './answer-rules.js';
import { anonymousCampaignOf, askActionId, editActionId, questionMessage, responseRef, SKIP_VALUE, startActionId, SURVEY_NAMESPACE } from './question-message.js';
import type { RespondentTokens } from './respondent-token.js';
import type { SurveyCatalog } from './survey-catalog.js';
import { findQuestion, localize, type PublishedSurvey, type SurveyQuestion } from './survey-definition.js';
import { formatDate, st } from './survey-texts.js';

export interface SurveyAnsweringDeps {
  campaigns: CampaignRepository;
  catalog: SurveyCatalog;
  tokens: RespondentTokens;
  audit: AuditLog;
  clock: Clock;
  ids: IdGenerator;
  /** Time zone used to show dates (closing time) when the campaign has no team. */
  timezoneOf: (campaign: Campaign) => Promise<string>;
  /** The conversation log, where anonymous surveys' questions are forgotten once answered. */
  messages?: Pick<MessageRepository, 'redactOutbound'>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface Loaded {
  /** Who is answering (never stored with an anonymous response). */
  personId: string;
  campaign: Campaign;
  survey: PublishedSurvey;
  response: SurveyResponse;
  answers: Answers;
  skipped: Set<string>;
}

export class SurveyAnswering {
  constructor(private readonly deps: SurveyAnsweringDeps) {}

  /** Who answers, as the store knows them: the person (named) or a token (anonymous). */
  respondentKey(campaign: Campaign, personId: string): RespondentKey {
    return campaign.anonymity.mode === 'anonymous' ? { token: this.deps.tokens(campaign.id, personId) } : { personId };
  }

  /** Anonymous responses keep only the day: exact times could be matched with message logs. */
  private stamp(campaign: Campaign): Date {
    const now = this.deps.clock.now();
    return campaign.anonymity.mode === 'anonymous' ? new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS) : now;
  }

  /** Starts or continues a campaign for a person (invitation button, "sondage reprendre"). */
  async begin(campaignId: string, personId: string, locale: Locale): Promise<OutboundMessage[]> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) return [textMessage(st(locale, 'resume.none'))];
    const survey = await this.deps.catalog.version(campaign.surveyId, campaign.surveyVersion);
    const title = localize(survey.definition.title, locale);
    const blocked = await this.blockedMessage(campaign, title, locale);
    if (blocked) return [blocked];
    if (campaign.audience.kind !== 'channel') {
      const invited = (await this.deps.campaigns.invitations(campaign.id)).some((i) => i.personId === personId);
      if (!invited) return [textMessage(st(locale, 'notyours'))];
    }
    const key = this.respondentKey(campaign, personId);
    if ('token' in key && (await this.deps.campaigns.hasSubmitted(campaign.id, key.token))) {
      return [textMessage(st(locale, 'done.alreadyAnonymous', { title }))];
    }
    const at = this.stamp(campaign);
    const { response } = await this.deps.campaigns.startResponse({
      id: this.deps.ids.next(),
      campaignId: campaign.id,
      surveyId: campaign.surveyId,
      surveyVersion: campaign.surveyVersion,
      personId: 'personId' in key ? key.personId : null,
      respondentToken: 'token' in key ? key.token : null,
      teamId: campaign.teamId,
      phase: campaign.phase,
      status: 'in_progress',
      currentQuestionId: null,
      startedAt: at,
      updatedAt: at,
      submittedAt: null,
    });
    const loaded = await this.loadAnswers(personId, campaign, survey, response);
    if (response.status === 'complete') {
      return [await this.alreadyAnswered(loaded, locale)];
    }
    return [await this.askNext(loaded, locale)];
  }

  /** An answer to a question (click, form, or a typed reply already parsed); `ref` as in the action id. */
  async answer(personId: string, ref: string, questionId: string, raw: unknown, locale: Locale): Promise<OutboundMessage[]> {
    const loaded = await this.load(personId, ref, locale);
    if ('message' in loaded) return [loaded.message];
    const { campaign, survey, response } = loaded;
    const question = findQuestion(survey.definition, questionId);
    if (!question) return [textMessage(st(locale, 'notyours'))];
    if (!isVisible(question, visibleAnswers(survey.definition, loaded.answers))) return [textMessage(st(locale, 'answer.hidden'))];

    let value: AnswerValue | null;
    if (raw === SKIP_VALUE && !question.required) {
      value = null;
    } else {
      const check = checkAnswer(question, raw === SKIP_VALUE ? undefined : raw);
      if (!check.ok) return [this.questionFor(loaded, question, locale, errorText(question, check.reason, locale))];
      value = check.value;
    }
    // Stored before anything is said back: a crash after this line loses nothing.
    await this.deps.campaigns.saveAnswer(response.id, question.id, value, this.stamp(campaign));
    if (value === null) loaded.skipped.add(question.id);
    else {
      loaded.skipped.delete(question.id);
      loaded.answers = { ...loaded.answers, [question.id]: value };
    }

    if (response.status === 'complete') {
      const pending = nextQuestion(survey.definition, loaded.answers, loaded.skipped);
      if (pending) return [await this.askNext(loaded, locale, st(locale, 'answer.saved'))];
      return [await this.finishedMessage(loaded, locale, st(locale, 'answer.saved'))];
    }
    return [await this.askNext(loaded, locale)];
  }

  /** The list of answered questions, to pick one to change. */
  async editList(personId: string, ref: string, locale: Locale): Promise<OutboundMessage[]> {
    const loaded = await this.load(personId, ref, locale);
    if ('message' in loaded) return [loaded.message];
    const answered = visibleQuestions(loaded.survey.definition, loaded.answers).filter((q) => loaded.answers[q.id] !== undefined || loaded.skipped.has(q.id));
    return [
      {
        blocks: [
          { type: 'text', markdown: st(locale, 'edit.pick') },
          {
            type: 'buttons',
            buttons: answered.map((q, i) => ({ actionId: askActionId(refOf(loaded), q.id), label: `${i + 1}. ${truncate(localize(q.label, locale), 60)}` })),
          },
        ],
      },
    ];
  }

  /** Sends one question again (to change its answer). */
  async ask(personId: string, ref: string, questionId: string, locale: Locale): Promise<OutboundMessage[]> {
    const loaded = await this.load(personId, ref, locale);
    if ('message' in loaded) return [loaded.message];
    const question = findQuestion(loaded.survey.definition, questionId);
    if (!question) return [textMessage(st(locale, 'notyours'))];
    await this.deps.campaigns.setCurrentQuestion(loaded.response.id, question.id, this.stamp(loaded.campaign));
    return [this.questionFor(loaded, question, locale)];
  }

  /** The first open campaign where the person has something left to answer. */
  async resume(personId: string, locale: Locale): Promise<OutboundMessage[]> {
    for (const campaign of await this.deps.campaigns.campaignsInviting(personId, ['open'])) {
      const key = this.respondentKey(campaign, personId);
      if ('token' in key && (await this.deps.campaigns.hasSubmitted(campaign.id, key.token))) continue;
      const response = await this.deps.campaigns.findResponse(campaign.id, key);
      if (response?.status === 'complete') continue;
      return this.begin(campaign.id, personId, locale);
    }
    return [textMessage(st(locale, 'resume.none'))];
  }

  /**
   * The question waiting for the person's answer, when `ref` names their
   * response, with whether the campaign is anonymous.
   */
  async pendingQuestion(personId: string, ref: string): Promise<{ question: SurveyQuestion; anonymous: boolean } | null> {
    const { campaign, response } = await this.resolve(personId, ref);
    if (!campaign || !response?.currentQuestionId || !this.owns(campaign, response, personId)) return null;
    const survey = await this.deps.catalog.version(campaign.surveyId, campaign.surveyVersion);
    const question = findQuestion(survey.definition, response.currentQuestionId);
    return question ? { question, anonymous: campaign.anonymity.mode === 'anonymous' } : null;
  }

  /**
   * Whether a ref designates an anonymous campaign's response (what is given
   * with it must stay out of the conversation log). Also true for response
   * ids of anonymous responses (action ids sent before refs existed).
   */
  async isAnonymousRef(ref: string): Promise<boolean> {
    const campaignId = anonymousCampaignOf(ref) ?? (await this.deps.campaigns.getResponse(ref))?.campaignId;
    if (!campaignId) return false;
    return (await this.deps.campaigns.get(campaignId))?.anonymity.mode === 'anonymous';
  }

  /** The campaign and the person's response a ref leads to (an anonymous ref through the respondent token only). */
  private async resolve(personId: string, ref: string): Promise<{ campaign: Campaign | null; response: SurveyResponse | null }> {
    const campaignId = anonymousCampaignOf(ref);
    if (campaignId !== null) {
      const campaign = await this.deps.campaigns.get(campaignId);
      if (campaign?.anonymity.mode !== 'anonymous') return { campaign: null, response: null };
      return { campaign, response: await this.deps.campaigns.findResponse(campaign.id, { token: this.deps.tokens(campaign.id, personId) }) };
    }
    const response = await this.deps.campaigns.getResponse(ref);
    return { campaign: response ? await this.deps.campaigns.get(response.campaignId) : null, response };
  }

  private owns(campaign: Campaign, response: SurveyResponse, personId: string): boolean {
    if (response.personId !== null) return response.personId === personId;
    return response.respondentToken !== null && response.respondentToken === this.deps.tokens(campaign.id, personId);
  }

  private async load(personId: string, ref: string, locale: Locale): Promise<Loaded | { message: OutboundMessage }> {
    const { campaign, response } = await this.resolve(personId, ref);
    if (!campaign) return { message: textMessage(st(locale, 'notyours')) };
    const survey = await this.deps.catalog.version(campaign.surveyId, campaign.surveyVersion);
    const title = localize(survey.definition.title, locale);
    if (!response || !this.owns(campaign, response, personId)) {
      // An anonymous response leaves its token at submission: its owner can no longer reach it.
      const submitted = campaign.anonymity.mode === 'anonymous' && (await this.deps.campaigns.hasSubmitted(campaign.id, this.deps.tokens(campaign.id, personId)));
      return { message: textMessage(st(locale, submitted ? 'done.alreadyAnonymous' : 'notyours', { title })) };
    }
    const blocked = await this.blockedMessage(campaign, title, locale);
    if (blocked) return { message: blocked };
    return this.loadAnswers(personId, campaign, survey, response);
  }

  private async loadAnswers(personId: string, campaign: Campaign, survey: PublishedSurvey, response: SurveyResponse): Promise<Loaded> {
    const answers: Record<string, AnswerValue> = {};
    const skipped = new Set<string>();
    for (const a of await this.deps.campaigns.answersOf(response.id)) {
      if (a.value === null) skipped.add(a.questionId);
      else answers[a.questionId] = a.value;
    }
    return { personId, campaign, survey, response, answers, skipped };
  }

  private async blockedMessage(campaign: Campaign, title: string, locale: Locale): Promise<OutboundMessage | null> {
    const now = this.deps.clock.now();
    if (campaign.status === 'closed' || now.getTime() >= campaign.closesAt.getTime()) return textMessage(st(locale, 'closed.answer', { title }));
    if (campaign.status === 'paused') return textMessage(st(locale, 'paused.answer', { title }));
    if (campaign.status !== 'open') return textMessage(st(locale, 'resume.none'));
    return null;
  }

  private questionFor(loaded: Loaded, question: SurveyQuestion, locale: Locale, prefix?: string): OutboundMessage {
    const visible = visibleQuestions(loaded.survey.definition, loaded.answers);
    const n = Math.max(1, visible.findIndex((q) => q.id === question.id) + 1);
    return questionMessage(loaded.survey.definition, question, refOf(loaded), { n, total: visible.length }, locale, prefix);
  }

  private async askNext(loaded: Loaded, locale: Locale, prefix?: string): Promise<OutboundMessage> {
    const question = nextQuestion(loaded.survey.definition, loaded.answers, loaded.skipped);
    if (!question) return this.complete(loaded, locale);
    await this.deps.campaigns.setCurrentQuestion(loaded.response.id, question.id, this.stamp(loaded.campaign));
    return this.questionFor(loaded, question, locale, prefix);
  }

  private async complete(loaded: Loaded, locale: Locale): Promise<OutboundMessage> {
    const { campaign, response } = loaded;
    const token = campaign.anonymity.mode === 'anonymous' ? response.respondentToken ?? undefined : undefined;
    const completed = await this.deps.campaigns.completeResponse(response.id, this.stamp(campaign), token);
    if (completed) {
      await this.deps.audit.record({
        actorId: null,
        action: 'survey.response_submitted',
        subjectType: 'campaign',
        subjectId: campaign.id,
        outcome: 'ok',
        details: { surveyId: campaign.surveyId, version: campaign.surveyVersion },
      });
    }
    if (campaign.anonymity.mode === 'anonymous') await this.forgetQuestionsAsked(loaded, locale);
    return this.finishedMessage({ ...loaded, response: { ...response, status: 'complete' } }, locale);
  }

  /**
   * Which questions a person was asked tells their answers when questions
   * depend on earlier ones (`showIf`), and the question messages sit in the
   * conversation log with the person's id. Once an anonymous response is
   * submitted they are no longer needed (no edits after submission): their
   * stored content becomes a neutral line.
   */
  private async forgetQuestionsAsked(loaded: Loaded, locale: Locale): Promise<void> {
    const marker = `${SURVEY_NAMESPACE}:${responseRef(loaded.campaign, loaded.response.id)}:`;
    const title = localize(loaded.survey.definition.title, locale);
    await this.deps.messages?.redactOutbound(loaded.personId, marker, { kind: 'outbound', message: textMessage(st(locale, 'anonymous.questionsForgotten', { title })) });
  }

  private async finishedMessage(loaded: Loaded, locale: Locale, prefix?: string): Promise<OutboundMessage> {
    const { campaign, survey } = loaded;
    const parts = [prefix, localize(survey.definition.outro, locale) || st(locale, 'done.thanks')].filter(Boolean) as string[];
    if (survey.definition.scoring === 'ai-act') parts.push(formatAiActResult(assessAiAct(visibleAnswers(survey.definition, loaded.answers), locale), locale));
    const message: OutboundMessage = { blocks: [{ type: 'text', markdown: parts.join('\n\n') }] };
    if (campaign.anonymity.mode === 'named') {
      const date = formatDate(campaign.closesAt, locale, await this.deps.timezoneOf(campaign));
      message.blocks.push(
        { type: 'text', markdown: st(locale, 'done.editable', { date }) },
        { type: 'buttons', buttons: [{ actionId: editActionId(refOf(loaded)), label: st(locale, 'button.edit') }] },
      );
    }
    return message;
  }

  private async alreadyAnswered(loaded: Loaded, locale: Locale): Promise<OutboundMessage> {
    const title = localize(loaded.survey.definition.title, locale);
    return {
      blocks: [
        { type: 'text', markdown: st(locale, 'done.already', { title }) },
        { type: 'buttons', buttons: [{ actionId: editActionId(refOf(loaded)), label: st(locale, 'button.edit') }] },
      ],
    };
  }
}

/** What action ids name the loaded response by. */
function refOf(loaded: Loaded): string {
  return responseRef(loaded.campaign, loaded.response.id);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function rangeText(question: SurveyQuestion, locale: Locale): string {
  if (question.min !== undefined && question.max !== undefined) return st(locale, 'range.between', { min: question.min, max: question.max });
  if (question.min !== undefined) return st(locale, 'range.min', { min: question.min });
  if (question.max !== undefined) return st(locale, 'range.max', { max: question.max });
  return '';
}

function errorText(question: SurveyQuestion, reason: string, locale: Locale): string {
  switch (reason) {
    case 'not_a_number':
    case 'not_integer':
    case 'out_of_range':
      return st(locale, `error.${reason}`, { range: rangeText(question, locale) });
    case 'too_long':
      return st(locale, 'error.too_long', { max: question.maxLength ?? 2000 });
    case 'not_an_option':
      return st(locale, 'error.not_an_option');
    default:
      return st(locale, 'error.required');
  }
}

export { startActionId };
