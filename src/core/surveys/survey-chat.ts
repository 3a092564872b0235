/**
 * Surveys in chat: the `sondage` / `survey` command (respondents: resume;
 * coordinators: launch, status, results, export, pause, unpause, close),
 * the `survey:` action handler (answers, start, edit), and typed answers
 * to the question just asked (numbered options, numbers, text).
 */
import type { ActionHandler } from '../conversation/action-registry.js';
import { normalizeWords, type Command } from '../conversation/command-registry.js';
import type { ConversationContext } from '../conversation/conversation-context.js';
import { describeError, isRelaisError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import { isInputBlock, textMessage, type OutboundMessage } from '../messages/outbound.js';
import type { Campaign } from '../ports/campaign-repository.js';
import type { MessageRepository } from '../ports/repositories.js';
import type { TeamService } from '../teams/team-service.js';
import { parseTypedAnswer } from './answer-rules.js';
import type { CampaignService, LaunchRequest } from './campaign-service.js';
import { describeRecurrence, parseRecurrencePhrase, type RecurrencePhrase } from './recurrence-phrase.js';
import { parseResponseAction, SURVEY_NAMESPACE } from './question-message.js';
import type { SurveyAnswering } from './survey-answering.js';
import type { SurveyCatalog } from './survey-catalog.js';
import { localize, type SurveyQuestion } from './survey-definition.js';
import { exportMessage, type ChatExportFormat } from './survey-export-message.js';
import { formatResults, type SurveyResults } from './survey-results.js';
import { formatDate, formatDay, st, type SurveyTextKey } from './survey-texts.js';
import { parseLocalDay } from './zoned-midnight.js';

export interface SurveyChatDeps {
  answering: SurveyAnswering;
  campaigns: CampaignService;
  results: SurveyResults;
  catalog: SurveyCatalog;
  teams: TeamService;
  messages: MessageRepository;
}

const SUB: Record<string, string> = {
  lancer: 'launch', launch: 'launch', start: 'launch',
  statut: 'status', status: 'status', etat: 'status',
  resultats: 'results', results: 'results',
  export: 'export', exporter: 'export',
  pause: 'pause', suspendre: 'pause',
  'reprendre-campagne': 'unpause', relancer: 'unpause', unpause: 'unpause',
  clore: 'close', close: 'close', fermer: 'close',
  reprendre: 'resume', resume: 'resume', continuer: 'resume',
  liste: 'list', list: 'list',
};

const EXPORT_FORMATS = ['csv', 'json'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function createSurveyCommand(deps: SurveyChatDeps): Command {
  return {
    id: 'survey',
    names: { fr: ['sondage', 'sondages'], en: ['survey', 'surveys'] },
    describe: (locale) => st(locale, 'help.survey'),
    run: async (context, args) => {
      const [head = '', ...rest] = args.trim().split(/\s+/).filter(Boolean);
      const sub = SUB[normalizeWords(head)] ?? (head === '' ? 'resume' : undefined);
      const send = async (message: OutboundMessage): Promise<void> => {
        await context.reply.send(message);
      };
      const say = (key: SurveyTextKey, vars: Record<string, string | number> = {}): Promise<void> => send(textMessage(st(context.locale, key, vars)));
      try {
        switch (sub) {
          case 'resume':
            for (const m of await deps.answering.resume(context.person.id, context.locale)) await send(m);
            return;
          case 'list':
            return await say('launch.usage', { surveys: (await deps.catalog.list()).map((s) => s.definition.id).join(', ') });
          case 'launch':
            return await launch(deps, context, rest);
          case 'status':
          case 'results':
          case 'export':
          case 'pause':
          case 'unpause':
          case 'close':
            return await manage(deps, context, sub, rest.find((a) => !isExportFormat(a)), rest.find(isExportFormat) ?? 'csv');
          default:
            return await say('launch.usage', { surveys: (await deps.catalog.list()).map((s) => s.definition.id).join(', ') });
        }
      } catch (error) {
        if (!isRelaisError(error)) throw error;
        context.log.info({ err: describeError(error) }, 'survey command refused');
        await send(textMessage(userText(error.code, context.locale, error.details)));
      }
    },
  };
}

function userText(code: string, locale: Locale, details: Record<string, unknown>): string {
  switch (code) {
    case 'team.not_found':
      return st(locale, 'team.notFound', { team: String(details.team ?? '') });
    case 'survey.not_found':
      return st(locale, 'launch.usage', { surveys: '…' });
    case 'survey.below_k':
      return st(locale, 'results.suppressed', { k: Number(details.k ?? 5) });
    case 'campaign.bad_state':
      return st(locale, 'campaign.badState', { id: String(details.campaignId ?? ''), status: st(locale, `status.${String(details.status)}` as SurveyTextKey) });
    case 'campaign.recurring_exists':
      return st(locale, 'launch.recurringExists');
    case 'campaign.bad_window':
    case 'campaign.bad_reminders':
      return st(locale, 'launch.usage', { surveys: '…' });
    default:
      return st(locale, 'launch.usage', { surveys: '…' });
  }
}

function option(args: string[], names: string[]): string | undefined {
  for (const arg of args) {
    const [key, value] = arg.split('=');
    if (value !== undefined && names.includes(normalizeWords(key!))) return value;
  }
  return undefined;
}

/** `chaque=vendredi@14h [du=2027-03-01] [au=2027-06-30] [ouvert=72]`, dates in the team's time zone: undefined when absent. */
function recurrenceOption(args: string[], timezone: string): { phrase: RecurrencePhrase; request: NonNullable<LaunchRequest['recurrence']> } | 'invalid' | undefined {
  const every = option(args, ['chaque', 'every', 'tous', 'toutes']);
  if (every === undefined) return undefined;
  const phrase = parseRecurrencePhrase(every);
  const from = dayOption(option(args, ['du', 'from', 'debut', 'start']), timezone, false);
  const until = dayOption(option(args, ['au', 'until', 'fin', 'end']), timezone, true);
  const windowHours = Number(option(args, ['ouvert', 'open', 'duree']) ?? 72);
  if (!phrase || from === 'invalid' || until === 'invalid' || !(windowHours > 0 && windowHours <= 24 * 31)) return 'invalid';
  return { phrase, request: { cron: phrase.cron, windowHours, ...(from ? { from } : {}), ...(until ? { until } : {}) } };
}

/** An optional `YYYY-MM-DD` option: undefined when absent, 'invalid' when unreadable. */
function dayOption(text: string | undefined, timezone: string, endOfDay: boolean): Date | 'invalid' | undefined {
  if (text === undefined) return undefined;
  return parseLocalDay(text, timezone, { endOfDay }) ?? 'invalid';
}

/** "Point récurrent … programmé … : chaque vendredi à 14:00 (Europe/Paris), à partir du …, jusqu’au …". */
function recurringLaunchedText(
  locale: Locale,
  title: string,
  audience: string,
  id: string,
  recurrence: { phrase: RecurrencePhrase; request: NonNullable<LaunchRequest['recurrence']> },
  timezone: string,
): string {
  const { from, until, windowHours } = recurrence.request;
  const period = [
    from ? st(locale, 'launch.recurringFrom', { date: formatDay(from, locale, timezone) }) : '',
    // The end is the start of the next day: say the last day.
    until ? st(locale, 'launch.recurringUntil', { date: formatDay(new Date(until.getTime() - 1), locale, timezone) }) : '',
  ].join('');
  return st(locale, 'launch.recurringDone', { title, audience, id, when: describeRecurrence(recurrence.phrase, locale), timezone, hours: windowHours, period });
}

async function launch(deps: SurveyChatDeps, context: ConversationContext, args: string[]): Promise<void> {
  const { locale } = context;
  const surveys = (await deps.catalog.list()).map((s) => s.definition.id);
  const surveyId = args.find((a) => !a.startsWith('@') && !a.includes('='));
  const target = args.find((a) => a.startsWith('@')) ?? args.find((a) => ['ici', 'here'].includes(normalizeWords(a)));
  if (!surveyId || !surveys.includes(surveyId) || !target) {
    await context.reply.send(textMessage(st(locale, 'launch.usage', { surveys: surveys.join(', ') })));
    return;
  }
  const days = Number(option(args, ['jours', 'days']) ?? 7);
  const phase = option(args, ['phase']) ?? null;
  // Hours after opening, e.g. "rappels=72,120" (the default) or "rappels=aucun".
  const remindersText = option(args, ['rappels', 'reminders']);
  const reminderOffsetsHours = remindersText === undefined ? undefined : ['aucun', 'none', '0'].includes(normalizeWords(remindersText)) ? [] : remindersText.split(',').map(Number);
  let audience: Campaign['audience'];
  let audienceText: string;
  let timezone: string | undefined;
  if (target.startsWith('@')) {
    const team = await deps.teams.find(target.slice(1));
    if (!team) {
      await context.reply.send(textMessage(st(locale, 'team.notFound', { team: target.slice(1) })));
      return;
    }
    if (!(await deps.teams.isCoordinator(team.id, context.person.id))) {
      await context.reply.send(textMessage(st(locale, 'launch.notCoordinator', { team: team.name })));
      return;
    }
    const members = await deps.teams.memberIds(team.id);
    if (members.length === 0) {
      await context.reply.send(textMessage(st(locale, 'launch.emptyTeam', { team: team.name })));
      return;
    }
    audience = { kind: 'team', teamId: team.id };
    timezone = team.timezone;
    audienceText = st(locale, 'audience.team', { team: team.name, count: members.length });
  } else {
    if ((await deps.teams.coordinatedBy(context.person.id)).length === 0) {
      await context.reply.send(textMessage(st(locale, 'launch.notCoordinator', { team: '—' })));
      return;
    }
    audience = { kind: 'channel', conversationId: context.conversation.id };
    audienceText = st(locale, 'audience.channel');
  }
  const recurrence = recurrenceOption(args, timezone ?? (await deps.campaigns.timezoneOf({ teamId: null, recurrence: null })));
  if (recurrence === 'invalid' || (recurrence && audience.kind !== 'team')) {
    await context.reply.send(textMessage(st(locale, 'launch.recurringUsage')));
    return;
  }
  const { campaign, survey, invitationsAt } = await deps.campaigns.launch({
    surveyId,
    audience,
    days: Number.isFinite(days) ? days : 7,
    phase,
    ...(reminderOffsetsHours ? { reminderOffsetsHours } : {}),
    ...(recurrence ? { recurrence: recurrence.request } : {}),
    createdBy: context.person.id,
  });
  const campaignTimezone = await deps.campaigns.timezoneOf(campaign);
  if (recurrence) {
    await context.reply.send(textMessage(recurringLaunchedText(locale, localize(survey.definition.title, locale), audienceText, campaign.id, recurrence, campaignTimezone)));
    return;
  }
  const reminders = campaign.reminderOffsetsHours.map((h) => (h % 24 === 0 ? `+${h / 24} j` : `+${h} h`)).join(', ') || st(locale, 'none');
  const lines = [
    st(locale, 'launch.done', {
      title: localize(survey.definition.title, locale),
      audience: audienceText,
      id: campaign.id,
      date: formatDate(campaign.closesAt, locale, campaignTimezone),
      reminders,
    }),
  ];
  if (invitationsAt.getTime() > campaign.opensAt.getTime()) lines.push(st(locale, 'launch.deferred', { date: formatDate(invitationsAt, locale, campaignTimezone) }));
  await context.reply.send(textMessage(lines.join('\n\n')));
}

function isExportFormat(arg: string): arg is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(arg.toLowerCase());
}

/** Without an id, acts on the running campaigns; results and exports fall back to the latest one, which is often closed. */
function pickCampaigns(mine: Campaign[], sub: string, id: string | undefined): Campaign[] {
  if (id) return mine.filter((c) => c.id === id);
  const running = mine.filter((c) => c.status === 'open' || c.status === 'scheduled' || c.status === 'paused');
  if (running.length > 0 || (sub !== 'results' && sub !== 'export')) return running;
  return mine.slice(-1);
}

async function manage(deps: SurveyChatDeps, context: ConversationContext, sub: string, id: string | undefined, format: string): Promise<void> {
  const { locale } = context;
  const mine = await deps.campaigns.manageable(context.person.id);
  const candidates = pickCampaigns(mine, sub, id);
  if (candidates.length === 0) {
    await context.reply.send(textMessage(id ? st(locale, 'campaign.notFound', { id }) : st(locale, 'campaign.none')));
    return;
  }
  if (sub === 'status') {
    const lines: string[] = [];
    for (const c of candidates) {
      const survey = await deps.catalog.version(c.surveyId, c.surveyVersion);
      const p = await deps.results.participation(c);
      lines.push(
        st(locale, 'campaign.status', {
          title: localize(survey.definition.title, locale),
          id: c.id,
          status: st(locale, `status.${c.status}` as SurveyTextKey),
          invited: p.invited,
          started: p.started,
          completed: p.completed,
          date: formatDate(c.closesAt, locale, await deps.campaigns.timezoneOf(c)),
        }),
      );
    }
    await context.reply.send(textMessage(lines.join('\n\n')));
    return;
  }
  const campaign = candidates.at(-1)!;
  switch (sub) {
    case 'results':
      await context.reply.send(textMessage(formatResults(await deps.results.results(campaign), locale)));
      return;
    case 'export':
      await context.reply.send(await exportMessage(deps.results, campaign, format.toLowerCase() as ChatExportFormat, locale));
      return;
    case 'pause':
      await deps.campaigns.pause(campaign.id, context.person.id);
      await context.reply.send(textMessage(st(locale, 'campaign.paused', { id: campaign.id })));
      return;
    case 'unpause':
      await deps.campaigns.unpause(campaign.id, context.person.id);
      await context.reply.send(textMessage(st(locale, 'campaign.resumed', { id: campaign.id })));
      return;
    case 'close':
      await deps.campaigns.close(campaign.id, context.person.id);
      await context.reply.send(textMessage(st(locale, 'campaign.closed', { id: campaign.id })));
      return;
  }
}

/** Sends the flow's messages: in place in a direct conversation, privately when clicked in a channel. */
type Deliver = (context: ConversationContext, messages: OutboundMessage[]) => Promise<void>;

export function createSurveyActionHandler(deps: SurveyChatDeps, deliverPrivately: (personId: string, messages: OutboundMessage[]) => Promise<void>): ActionHandler {
  const deliver: Deliver = async (context, messages) => {
    if (context.conversation.kind === 'direct') {
      for (const m of messages) await context.reply.send(m);
    } else {
      await deliverPrivately(context.person.id, messages);
    }
  };
  return {
    namespace: SURVEY_NAMESPACE,
    async handle(context, action, rest) {
      const { locale } = context;
      const personId = context.person.id;
      if (rest.startsWith('start:')) {
        await deliver(context, await deps.answering.begin(rest.slice('start:'.length), personId, locale));
        return;
      }
      const { ref, questionId, extra } = parseResponseAction(rest);
      if (questionId === '~edit') {
        await deliver(context, await deps.answering.editList(personId, ref, locale));
      } else if (questionId === '~ask' && extra) {
        await deliver(context, await deps.answering.ask(personId, ref, extra, locale));
      } else {
        await deliver(context, await deps.answering.answer(personId, ref, questionId, action.value, locale));
      }
    },
  };
}

/**
 * The survey question the bot just asked in this direct conversation and
 * still waiting for this person's answer: a typed reply answers it.
 */
export async function questionAwaitingTypedReply(
  deps: Pick<SurveyChatDeps, 'answering' | 'messages'>,
  conversationId: string,
  personId: string,
): Promise<{ ref: string; question: SurveyQuestion; anonymous: boolean } | null> {
  const recent = await deps.messages.listRecent(conversationId, 6);
  const lastOut = [...recent].reverse().find((m) => m.direction === 'out');
  if (!lastOut || lastOut.content.kind !== 'outbound') return null;
  const input = lastOut.content.message.blocks.find(isInputBlock);
  if (!input || !input.actionId.startsWith(`${SURVEY_NAMESPACE}:`)) return null;
  const { ref, questionId } = parseResponseAction(input.actionId.slice(SURVEY_NAMESPACE.length + 1));
  const pending = await deps.answering.pendingQuestion(personId, ref);
  if (!pending || pending.question.id !== questionId) return null;
  return { ref, ...pending };
}

/**
 * A typed reply to the question the bot just asked in this direct
 * conversation ("2", "1, 3", "45", a sentence). True when it was one.
 */
export function createTypedAnswerHandler(deps: SurveyChatDeps): (context: ConversationContext, text: string) => Promise<boolean> {
  return async (context, text) => {
    if (context.conversation.kind !== 'direct') return false;
    const pending = await questionAwaitingTypedReply(deps, context.conversation.id, context.person.id);
    if (!pending) return false;
    const options = pending.question.options?.map((o) => o.value) ?? [];
    const raw = parseTypedAnswer(pending.question.type, text, options);
    for (const m of await deps.answering.answer(context.person.id, pending.ref, pending.question.id, raw, context.locale)) await context.reply.send(m);
    return true;
  };
}
