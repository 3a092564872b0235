import { ConfigError, loadConfig } from '../../src/config.js';

function issuesOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('has embedded defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      http: { host: '127.0.0.1', port: 3978 },
      database: { kind: 'pglite' },
      locale: 'fr',
      timezone: 'Europe/Paris',
      log: { level: 'info' },
      web: { enabled: true },
      model: { provider: 'none' },
      product: { messageRetentionDays: 30 },
    });
    expect(config.redis.url).toBeUndefined();
    expect(config.dataDir).toMatch(/\.relais$/);
    expect(config.platforms.slack).toEqual({ configured: false, present: [], missing: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgresql://relais:pw@db.internal:5432/relais',
      REDIS_URL: 'redis://cache:6379',
      LOG_LEVEL: 'warn',
      RELAIS_LOCALE: 'en',
      RELAIS_TIMEZONE: 'America/Cayenne',
      RELAIS_FUNDING_NOTICE: 'Cofinancé par l’Union européenne',
      RELAIS_SECRET: 's'.repeat(40),
      RELAIS_MESSAGE_RETENTION_DAYS: '90',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'abc',
    });
    expect(config).toMatchObject({
      http: { host: '0.0.0.0', port: 8080 },
      database: { kind: 'postgres', url: 'postgresql://relais:pw@db.internal:5432/relais' },
      redis: { url: 'redis://cache:6379' },
      locale: 'en',
      timezone: 'America/Cayenne',
      product: { fundingNotice: 'Cofinancé par l’Union européenne', messageRetentionDays: 90 },
    });
    expect(config.platforms.slack.configured).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ RELAIS_LOCALE: 'de' }, 'RELAIS_LOCALE'],
    [{ RELAIS_TIMEZONE: 'Europe/Atlantis' }, 'RELAIS_TIMEZONE'],
    [{ RELAIS_SECRET: 'short' }, 'RELAIS_SECRET'],
    [{ RELAIS_MESSAGE_RETENTION_DAYS: '0' }, 'RELAIS_MESSAGE_RETENTION_DAYS'],
    [{ NODE_ENV: 'production', TEAMS_ALLOW_ANONYMOUS: 'true' }, 'TEAMS_ALLOW_ANONYMOUS'],
    [{ MATRIX_USER_ID: 'relais' }, 'MATRIX_USER_ID'],
    [{ MATRIX_HOMESERVER_URL: 'matrix.example.org' }, 'MATRIX_HOMESERVER_URL'],
    [{ SLACK_API_URL: 'not a url' }, 'SLACK_API_URL'],
  ])('names the invalid variable %j', (env, variable) => {
    expect(issuesOf(env).map((i) => i.variable)).toContain(variable);
  });

  it('builds each platform’s settings only when its credentials are complete', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'abc',
      SLACK_API_URL: 'http://127.0.0.1:9000/api',
      TEAMS_APP_ID: '00000000-0000-0000-0000-000000000001',
      MATRIX_HOMESERVER_URL: 'https://matrix.agent.tchap.gouv.fr/',
      MATRIX_USER_ID: '@relais:agent.tchap.gouv.fr',
      MATRIX_ACCESS_TOKEN: 'syt_x',
      MATRIX_ALLOWED_USERS: '@a:agent.tchap.gouv.fr, @b:agent.tchap.gouv.fr',
    });
    // The API URL always ends with "/": the Slack client appends method names to it.
    expect(config.platforms.slack.settings).toEqual({ botToken: 'xoxb-1', signingSecret: 'abc', apiUrl: 'http://127.0.0.1:9000/api/' });
    expect(config.platforms.teams).toEqual({ configured: false, present: ['TEAMS_APP_ID'], missing: ['TEAMS_APP_PASSWORD'] });
    expect(config.platforms.matrix.settings).toEqual({
      homeserverUrl: 'https://matrix.agent.tchap.gouv.fr',
      userId: '@relais:agent.tchap.gouv.fr',
      accessToken: 'syt_x',
      // Without MATRIX_ALLOWED_DOMAINS, only the bot's own server.
      allowedDomains: ['agent.tchap.gouv.fr'],
      allowedRooms: [],
      allowedUsers: ['@a:agent.tchap.gouv.fr', '@b:agent.tchap.gouv.fr'],
    });
  });

  it('starts Teams without a registration only in anonymous (development) mode', () => {
    expect(loadConfig({ TEAMS_ALLOW_ANONYMOUS: 'true' }).platforms.teams.settings).toEqual({ allowAnonymous: true });
    expect(loadConfig({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw', TEAMS_TENANT_ID: 'tenant' }).platforms.teams.settings).toEqual({
      appId: 'app',
      appPassword: 'pw',
      tenantId: 'tenant',
      allowAnonymous: false,
    });
  });

  it('never echoes a secret value in the error', () => {
    const message = issuesOf({ RELAIS_SECRET: 'hunter2' })[0]!.message;
    expect(message).not.toContain('hunter2');
    expect(issuesOf({ PORT: 'abc' })[0]!.message).toContain('"abc"');
  });
});
