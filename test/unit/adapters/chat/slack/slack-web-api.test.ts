/** Slack's answers as coded errors (what the proactive messenger records), and the file upload flow against the Slack fake. */
import { WebClient } from '@slack/web-api';
import { renderSlackMessage, type SlackUploadPart } from '../../../../../src/adapters/chat/slack/slack-render.js';
import { DEFAULT_SLACK_RATE_RULES, SlackWebApi, toRelaisError } from '../../../../../src/adapters/chat/slack/slack-web-api.js';
import { createSilentLogger } from '../../../../../src/adapters/log/pino-logger.js';
import { InMemoryRateLimiter } from '../../../../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { SlackFake } from '../../../../fakes/slack-fake-server.js';

const platformError = (error: string) => ({ code: 'slack_webapi_platform_error', data: { ok: false, error } });

describe('toRelaisError', () => {
  it.each(['not_in_channel', 'channel_not_found', 'messages_tab_disabled', 'cannot_dm_bot', 'user_not_found', 'is_archived'])('%s → platform.not_installed, permanent', (error) => {
    const mapped = toRelaisError('chat.postMessage', platformError(error));
    expect(mapped).toMatchObject({ code: 'platform.not_installed', transient: false, details: { method: 'chat.postMessage', slackError: error } });
  });

  it.each([
    ['invalid_auth', 'platform.unauthorized', false],
    ['missing_scope', 'platform.unauthorized', false],
    ['invalid_blocks', 'platform.rejected', false],
    ['file_uploads_disabled', 'platform.rejected', false],
    ['msg_too_long', 'platform.rejected', false],
    ['internal_error', 'platform.unavailable', true],
  ])('%s → %s', (error, code, transient) => {
    expect(toRelaisError('chat.update', platformError(error))).toMatchObject({ code, transient });
  });

  it('HTTP and network failures are transient', () => {
    expect(toRelaisError('chat.postMessage', { code: 'slack_webapi_http_error', statusCode: 503 })).toMatchObject({ code: 'platform.unavailable', transient: true });
    expect(toRelaisError('chat.postMessage', new Error('socket hang up'))).toMatchObject({ code: 'platform.unavailable', transient: true });
  });

  it('never puts message content in the error', () => {
    const mapped = toRelaisError('chat.postMessage', platformError('not_in_channel'));
    expect(JSON.stringify({ message: mapped.message, details: mapped.details })).not.toMatch(/text|blocks/);
  });
});

describe('SlackWebApi.upload', () => {
  let fake: SlackFake;
  let api: SlackWebApi;
  const csv = 'submission_id,tache,duree\r\ns-1,"Saisie, à la main",90\r\n';
  const filePart = (): SlackUploadPart =>
    renderSlackMessage({ blocks: [{ type: 'file', filename: 'irritants-c-1.csv', mimeType: 'text/csv', base64: Buffer.from(csv).toString('base64'), title: 'Export irritants' }] }, { locale: 'fr' })[0] as SlackUploadPart;

  beforeAll(async () => {
    fake = new SlackFake();
    await fake.start();
    const client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    api = new SlackWebApi(client, new InMemoryRateLimiter(), DEFAULT_SLACK_RATE_RULES, createSilentLogger());
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('shares a document as a real file in the thread, with its bytes, name and title', async () => {
    expect(await api.upload('D0COORD01', '1.5', filePart())).toBe(true);
    const [file] = fake.filesIn('D0COORD01');
    expect(file).toMatchObject({ filename: 'irritants-c-1.csv', title: 'Export irritants', mimeType: 'text/csv', threadTs: '1.5', declaredLength: Buffer.byteLength(csv) });
    expect(file!.content.toString('utf8')).toBe(csv);
    expect(file!.altText).toBeUndefined();
    expect(fake.messagesIn('D0COORD01')).toHaveLength(0);
  });

  it('posts the text instead when the workspace refuses the file (uploads disabled, no files:write)', async () => {
    for (const [i, error] of ['file_uploads_disabled', 'missing_scope'].entries()) {
      const channel = `D0REFUSE${i}`;
      fake.failNext('files.getUploadURLExternal', { error });
      expect(await api.upload(channel, undefined, filePart())).toBe(false);
      expect(fake.filesIn(channel)).toHaveLength(0);
      const [message] = fake.messagesIn(channel);
      const text = JSON.stringify(message!.blocks);
      expect(text).toContain('Slack a refusé le fichier `irritants-c-1.csv`');
      expect(text).toContain('s-1,\\"Saisie, à la main\\",90');
    }
  });

  it('an image without a fallback still fails with a coded error when Slack refuses it', async () => {
    fake.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    const image = renderSlackMessage({ blocks: [{ type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: 'iVBORw0KGgo=' }, alt: 'Graphique' }] }, { locale: 'fr' })[0] as SlackUploadPart;
    await expect(api.upload('C0IMGREF1', undefined, image)).rejects.toMatchObject({ code: 'platform.rejected', details: { slackError: 'file_uploads_disabled' } });
  });
});
