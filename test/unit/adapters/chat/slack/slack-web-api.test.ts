/** Slack's answers as coded errors (what the proactive messenger records). */
import { toRelaisError } from '../../../../../src/adapters/chat/slack/slack-web-api.js';

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
