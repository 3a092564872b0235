import type { SlackSettings } from '../config.js';
import { SlackPlatform } from '../adapters/chat/slack/slack.platform.js';
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platform-deps.js';

/** Builds the Slack adapter (src/adapters/chat/slack): HTTP events on /slack/events, or Socket Mode with an app token. */
export async function createSlackPlatform(settings: SlackSettings, deps: ChatPlatformDeps): Promise<BuiltPlatform> {
  const platform = new SlackPlatform({
    botToken: settings.botToken,
    signingSecret: settings.signingSecret,
    ...(settings.appToken ? { appToken: settings.appToken } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    logger: deps.logger,
    clock: deps.clock,
    dedup: deps.dedup,
    limiter: deps.limiter,
    state: deps.state,
    ...(deps.tuning?.slack?.rateRules ? { rateRules: deps.tuning.slack.rateRules } : {}),
  });
  return { platform, health: platform.health(), ...(platform.mode === 'http' ? { rawBodyRouter: platform.router() } : {}) };
}
