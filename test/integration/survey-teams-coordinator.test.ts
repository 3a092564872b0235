/**
 * A coordinator's survey work on Microsoft Teams, end to end: a real Relais
 * (PGlite) with the Teams adapter (Agents SDK, anonymous development setup)
 * against the fake Bot Framework connector, time driven by a test clock.
 *
 * The coordinator, a Teams user, launches the irritants campaign by typing
 * `sondage lancer irritants @equipe` in their personal chat; the members get
 * the invitation as a proactive Adaptive Card in theirs and answer with card
 * actions (one of them in two sittings, coming back with `sondage
 * reprendre`); one member never answers and, three days later, is the only
 * one reminded, once. The coordinator then asks the results and the export:
 * the CSV arrives through Teams' file consent (consent card → "Allow"
 * invoke → bytes PUT to the OneDrive upload URL → file info card), and the
 * digest arrives with the ranked irritants and a PNG chart.
 *
 * The team has six members, five of whom answer: the digest shows ranked
 * irritants and chart points only from k = 5 answers (anonymity), so a
 * smaller team would rightly get neither.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TeamsPlatform } from '../../src/adapters/chat/teams/teams.platform.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais } from '../../src/main.js';
import { CAMPAIGN_CLOSE_JOB } from '../../src/core/surveys/campaign-jobs.js';
import { newActivityId, postActivity, startTeamsConnectorFake, type RecordedActivity, type TeamsConnectorFake } from '../fakes/teams-connector-fake-server.js';
import { cardAction, fileConsentAnswer, makeUser, personalInstall, personalMessage, type TeamsUser } from '../fakes/teams/teams-activities.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { TestClock } from '../support/test-clock.js';

jest.setTimeout(120_000);

const HOUR = 60 * 60 * 1000;
/** Monday 7 December 2026, 10:00 in Paris: outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface CardData {
  relais: { a: string; k: string; v?: string | number };
}
interface CardActionFound {
  data: CardData;
  replyToId: string;
  index: number;
}
interface Attachment {
  contentType: string;
  content?: Record<string, unknown>;
  contentUrl?: string;
  name?: string;
}

let fake: TeamsConnectorFake;
let relais: Relais;
let dataDir: string;
const clock = new TestClock(START);

function teams(): TeamsPlatform {
  return relais.platforms.get('teams') as TeamsPlatform;
}

async function deliver(activity: Record<string, unknown>): Promise<number> {
  const answer = await postActivity(relais.url, activity);
  await teams().idle();
  return answer.status;
}

const serviceUrl = (): { serviceUrl: string } => ({ serviceUrl: fake.serviceUrl });
const conversationOf = (user: TeamsUser): RecordedActivity[] => fake.activitiesIn(user.personalConversationId);
const attachmentsOf = (a: RecordedActivity): Attachment[] => (a.activity.attachments as Attachment[] | undefined) ?? [];
const textOf = (a: RecordedActivity): string => `${(a.activity.text as string | undefined) ?? ''}\n${JSON.stringify(a.activity.attachments ?? [])}`;
const allText = (user: TeamsUser): string => conversationOf(user).map(textOf).join('\n');

/** Every object of a card (depth first). */
function walk(node: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) walk(n, out);
  else if (node && typeof node === 'object') {
    out.push(node as Record<string, unknown>);
    for (const v of Object.values(node)) walk(v, out);
  }
  return out;
}

/** Our Action.Execute data in the cards sent to `user`, in order, with the activity that carries each. */
function actionsIn(user: TeamsUser): CardActionFound[] {
  return conversationOf(user).flatMap((activity, index) =>
    attachmentsOf(activity)
      .filter((att) => att.contentType === ADAPTIVE)
      .flatMap((att) => walk(att.content))
      .filter((n) => n.type === 'Action.Execute' && n.data && typeof n.data === 'object' && 'relais' in (n.data as object))
      .map((n) => ({ data: n.data as CardData, replyToId: activity.id, index })),
  );
}

/** Waits for the card asking `questionId` (sent after activity `after`), and answers it as Teams would. */
async function answerQuestion(user: TeamsUser, questionId: string, value: string | number | string[], after = -1): Promise<void> {
  const matches = (a: CardActionFound): boolean => {
    const { a: actionId, k, v } = a.data.relais;
    if (a.index <= after || !actionId.endsWith(`:${questionId}`)) return false;
    if (value === '~skip') return v === '~skip';
    if (k === 'scale') return v === value;
    return k !== 'button';
  };
  let found: CardActionFound | undefined;
  await waitFor(async () => (found = actionsIn(user).filter(matches).at(-1)) !== undefined, 15_000);
  const { data, replyToId } = found!;
  const typed = data.relais.k === 'scale' || value === '~skip' ? {} : { [`relais.${data.relais.a}`]: Array.isArray(value) ? value.join(',') : String(value) };
  expect(await deliver(cardAction(user, { ...data, ...typed }, replyToId, serviceUrl()))).toBe(200);
}

/** Clicks the invitation's start button of `campaignId`. */
async function start(user: TeamsUser, campaignId: string): Promise<void> {
  const startId = `survey:start:${campaignId}`;
  await waitFor(async () => actionsIn(user).some((a) => a.data.relais.a === startId), 15_000);
  const invitation = actionsIn(user).find((a) => a.data.relais.a === startId)!;
  expect(await deliver(cardAction(user, invitation.data, invitation.replyToId, serviceUrl()))).toBe(200);
}

async function answerAll(user: TeamsUser, campaignId: string, answers: Array<[string, string | number | string[]]>): Promise<void> {
  await start(user, campaignId);
  for (const [questionId, value] of answers) await answerQuestion(user, questionId, value);
  await waitFor(async () => allText(user).includes('Merci'), 10_000);
}

/** The coordinator types a message in their personal chat; returns the activities that answered it. */
async function say(user: TeamsUser, text: string, until: (replies: RecordedActivity[]) => boolean): Promise<RecordedActivity[]> {
  const before = conversationOf(user).length;
  expect(await deliver(personalMessage(user, text, serviceUrl()))).toBe(200);
  await waitFor(async () => until(conversationOf(user).slice(before)), 20_000);
  return conversationOf(user).slice(before);
}

const wake = async (campaignId: string): Promise<void> => {
  await relais.scheduler.enqueue(CAMPAIGN_CLOSE_JOB, { campaignId }, { key: `wake-${Date.now()}` });
};

beforeAll(async () => {
  fake = await startTeamsConnectorFake();
  dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-teams-coord-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    RELAIS_DATA_DIR: dataDir,
    RELAIS_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    TEAMS_ALLOW_ANONYMOUS: 'true',
  });
  relais = await startRelais(config, { logger: createSilentLogger(), clock });
});

afterAll(async () => {
  await relais?.stop();
  await fake?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a coordinator’s survey campaign on Teams', () => {
  it('launch by chat, card answers, one reminder, results, CSV through file consent, digest with a PNG chart', async () => {
    const members = [601, 602, 603, 604, 605, 606].map(makeUser);
    const [a, b, c, d, e, f] = members as [TeamsUser, TeamsUser, TeamsUser, TeamsUser, TeamsUser, TeamsUser];
    const coordinator = makeUser(609);
    for (const user of [...members, coordinator]) expect(await deliver(personalInstall(user, serviceUrl()))).toBe(200);

    const team = await relais.surveys.teams.create({ name: 'Scolarité Teams' }, null);
    await relais.surveys.teams.add(team.id, members.map((u) => ({ platform: 'teams', externalId: u.aadObjectId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'teams', externalId: coordinator.aadObjectId }], 'coordinator', null);

    // The coordinator launches the campaign from their personal chat.
    const launched = await say(coordinator, `sondage lancer irritants @${team.id}`, (r) => /`c-[0-9a-f]+`/.test(r.map(textOf).join('\n')));
    const campaignId = /`(c-[0-9a-f]+)`/.exec(launched.map(textOf).join('\n'))![1]!;
    expect(launched.map(textOf).join('\n')).toContain('lancé');

    // Each member gets one invitation, a proactive Adaptive Card in their personal chat.
    for (const user of members) await waitFor(async () => actionsIn(user).some((x) => x.data.relais.a === `survey:start:${campaignId}`), 15_000);
    for (const user of members) {
      const invitations = conversationOf(user).filter((x) => textOf(x).includes(`survey:start:${campaignId}`));
      expect(invitations).toHaveLength(1);
      expect(invitations[0]!.replyToId).toBeUndefined();
      expect(textOf(invitations[0]!)).toContain('Vos irritants au quotidien');
    }

    // Four members answer everything with card actions.
    const tasks = ['Saisie des notes dans Apogée à la main', 'Relances des dossiers de bourse', 'Saisie des notes dans Apogée à la main', 'Réponses aux mêmes mails', 'Relances des dossiers de bourse'];
    const irritantAnswers = (i: number): Array<[string, string | number | string[]]> => [
      ['tache', tasks[i]!],
      ['frequence', i % 2 ? 'quotidienne' : 'hebdomadaire'],
      ['duree', 30 + i * 15],
      ['impact', 3 + (i % 3)],
      ['acteurs', i % 2 ? ['usagers'] : ['moi', 'equipe']],
      ['aide', i === 0 ? 'Un import automatique' : '~skip'],
    ];
    for (const [i, user] of [a, b, d, e].entries()) await answerAll(user, campaignId, irritantAnswers(i === 0 ? 0 : i + 1));

    // C answers two questions, leaves, and comes back later with "sondage reprendre".
    await start(c, campaignId);
    const answersC = irritantAnswers(1);
    await answerQuestion(c, 'tache', answersC[0]![1]);
    await answerQuestion(c, 'frequence', answersC[1]![1]);
    clock.advance(2 * HOUR);
    const resumedAfter = conversationOf(c).length - 1;
    expect(await deliver(personalMessage(c, 'sondage reprendre', serviceUrl()))).toBe(200);
    for (const [questionId, value] of answersC.slice(2)) await answerQuestion(c, questionId, value, resumedAfter);
    await waitFor(async () => allText(c).includes('Merci'), 10_000);

    // The weekly check-in (no reminders), answered by the same five: the digest's chart needs it.
    const checkinLaunch = await say(coordinator, `sondage lancer checkin-hebdo @${team.id} rappels=aucun`, (r) => /`c-[0-9a-f]+`/.test(r.map(textOf).join('\n')));
    const checkinId = /`(c-[0-9a-f]+)`/.exec(checkinLaunch.map(textOf).join('\n'))![1]!;
    for (const [i, user] of [a, b, c, d, e].entries()) {
      await answerAll(user, checkinId, [
        ['minutes_gagnees', 45 + i * 15],
        ['bien_etre', 3 + (i % 3)],
        ['erreurs_evitees', i],
        ['satisfaction', 4],
        ['commentaire', '~skip'],
      ]);
    }

    // Three days after launch: the reminder reaches F, who never answered, and only F, once.
    clock.advance(72 * HOUR);
    await wake(campaignId);
    await waitFor(async () => allText(f).includes('Petit rappel'), 15_000);
    await wake(campaignId);
    await new Promise((r) => setTimeout(r, 500));
    await teams().idle();
    expect(conversationOf(f).filter((x) => textOf(x).includes('Petit rappel'))).toHaveLength(1);
    for (const user of [a, b, c, d, e]) expect(allText(user)).not.toContain('Petit rappel');

    // Results for the coordinator.
    const results = (await say(coordinator, `sondage resultats ${campaignId}`, (r) => r.some((x) => textOf(x).includes('Irritants prioritaires')))).map(textOf).join('\n');
    expect(results).toContain('5 réponse(s) complète(s) sur 6');
    expect(results).toMatch(/1\. .*(Saisie des notes dans Apogée|Relances des dossiers de bourse)/);

    // The export: a short text and a file consent card, the bytes kept by Relais until "Allow".
    const exported = await say(coordinator, `sondage export ${campaignId}`, (r) => r.some((x) => attachmentsOf(x).some((att) => att.contentType === FILE_CONSENT)));
    expect(exported.map(textOf).join('\n')).toContain(`\`${campaignId}\``);
    const consentActivity = exported.find((x) => attachmentsOf(x).some((att) => att.contentType === FILE_CONSENT))!;
    const consent = attachmentsOf(consentActivity).find((att) => att.contentType === FILE_CONSENT)!;
    expect(consent.name).toBe(`irritants-${campaignId}.csv`);
    const consentContent = consent.content as { description: string; sizeInBytes: number; acceptContext: { relaisFile: string }; declineContext: unknown };
    expect(consentContent.acceptContext.relaisFile).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(consentContent.declineContext).toEqual(consentContent.acceptContext);
    expect(JSON.stringify(consentActivity.activity)).not.toContain('submission_id');

    // The coordinator allows: Teams opens an upload session and sends the invoke.
    const uploadInfo = fake.createUpload(consent.name!);
    const uploadId = uploadInfo.uploadUrl.split('/').at(-1)!;
    const accept = fileConsentAnswer(coordinator, { action: 'accept', context: consentContent.acceptContext, uploadInfo: { ...uploadInfo } }, consentActivity.id, { ...serviceUrl(), id: newActivityId() });
    const beforeAccept = conversationOf(coordinator).length;
    const acceptAnswer = await postActivity(relais.url, accept);
    expect(acceptAnswer.status).toBe(200);
    await teams().idle();
    await waitFor(async () => conversationOf(coordinator).slice(beforeAccept).some((x) => attachmentsOf(x).some((att) => att.contentType === FILE_INFO)), 15_000);

    const upload = fake.uploads.get(uploadId)!;
    expect(upload.requests).toBe(1);
    expect(upload.bytes!.length).toBe(consentContent.sizeInBytes);
    expect(upload.contentRange).toBe(`bytes 0-${consentContent.sizeInBytes - 1}/${consentContent.sizeInBytes}`);
    const csv = upload.bytes!.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('submission_id,survey_version,team,phase,submitted_at,complete,tache,frequence,duree,impact,acteurs,aide');
    expect(csv).toHaveLength(6);
    const rows = csv.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => r[8]).sort()).toEqual(['30', '45', '60', '75', '90']);
    const rowOfC = rows.find((r) => r[8] === '45')!;
    expect(rowOfC.slice(6)).toEqual(['Relances des dossiers de bourse', 'quotidienne', '45', '4', 'usagers', '']);
    expect(rows.every((r) => r[5] === 'true')).toBe(true);

    const info = conversationOf(coordinator).slice(beforeAccept).filter((x) => attachmentsOf(x).some((att) => att.contentType === FILE_INFO));
    expect(info).toHaveLength(1);
    expect(attachmentsOf(info[0]!)[0]).toEqual({ contentType: FILE_INFO, contentUrl: uploadInfo.contentUrl, name: consent.name, content: { uniqueId: uploadInfo.uniqueId, fileType: 'csv' } });
    expect(info[0]!.activity.text).toContain(consent.name);

    // Teams redelivers the same invoke: nothing more happens. A new "Allow" on the used card finds no file.
    expect((await postActivity(relais.url, accept)).status).toBe(200);
    await teams().idle();
    expect(upload.requests).toBe(1);
    const second = fake.createUpload(consent.name!);
    await deliver(fileConsentAnswer(coordinator, { action: 'accept', context: consentContent.acceptContext, uploadInfo: { ...second } }, consentActivity.id, serviceUrl()));
    await waitFor(async () => allText(coordinator).includes('plus disponible'), 10_000);
    expect(fake.uploads.get(second.uploadUrl.split('/').at(-1)!)!.requests).toBe(0);

    // A declined export is not sent, and Relais says so.
    const again = await say(coordinator, `sondage export ${campaignId}`, (r) => r.some((x) => attachmentsOf(x).some((att) => att.contentType === FILE_CONSENT)));
    const againConsent = again.find((x) => attachmentsOf(x).some((att) => att.contentType === FILE_CONSENT))!;
    const declineContext = (attachmentsOf(againConsent)[0]!.content as { declineContext: unknown }).declineContext;
    await deliver(fileConsentAnswer(coordinator, { action: 'decline', context: declineContext }, againConsent.id, serviceUrl()));
    await waitFor(async () => allText(coordinator).includes('n’a pas été envoyé'), 10_000);

    // The digest: ranked irritants in the text, the chart as a PNG picture.
    const digest = await say(coordinator, 'digest', (r) => r.some((x) => attachmentsOf(x).some((att) => att.contentType === 'image/png')) && r.some((x) => textOf(x).includes('Irritants prioritaires')));
    // Text and small charts in one card or message, larger charts each in a picture message.
    const digestText = digest.map(textOf).join('\n');
    expect(digestText).toContain('Synthèse de l’expérimentation — Scolarité Teams');
    expect(digestText).toContain('**Irritants prioritaires**');
    expect(digestText).toMatch(/1\. .*(Saisie des notes dans Apogée|Relances des dossiers de bourse)/i);
    const pictures = digest.flatMap(attachmentsOf).filter((att) => att.contentType === 'image/png');
    expect(pictures.length).toBeGreaterThanOrEqual(1);
    for (const picture of pictures) {
      expect(picture.contentUrl).toMatch(/^data:image\/png;base64,/);
      const png = Buffer.from(picture.contentUrl!.slice('data:image/png;base64,'.length), 'base64');
      expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    }
    const inline = digest.flatMap(attachmentsOf).flatMap((att) => walk(att.content)).filter((n) => n.type === 'Image').map((n) => n.url as string);
    for (const url of inline) expect([...Buffer.from(url.slice('data:image/png;base64,'.length), 'base64').subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    for (const x of digest) expect(Buffer.byteLength(JSON.stringify(x.activity))).toBeLessThan(28 * 1024);

    // Nothing reached anyone twice: one digest, one results message, one file card.
    await teams().idle();
    const coordinatorTexts = conversationOf(coordinator).map(textOf);
    expect(coordinatorTexts.filter((t) => t.includes('Synthèse de l’expérimentation — Scolarité Teams'))).toHaveLength(1);
    expect(coordinatorTexts.filter((t) => t.includes('5 réponse(s) complète(s) sur 6'))).toHaveLength(1);
    expect(conversationOf(coordinator).filter((x) => attachmentsOf(x).some((att) => att.contentType === FILE_INFO))).toHaveLength(1);
    expect(conversationOf(coordinator).filter((x) => attachmentsOf(x).some((att) => att.contentType === 'image/png')).length).toBe(pictures.length);
    for (const user of members) {
      const ids = conversationOf(user).map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(conversationOf(user).filter((x) => textOf(x).includes(`survey:start:${checkinId}`))).toHaveLength(1);
    }
    // The adapter's limiter kept every conversation and the tenant under Teams' limits.
    expect(fake.rateLimited).toBe(0);
  });
});
