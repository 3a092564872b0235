/**
 * Builds the platform adapters whose credentials are configured (Slack,
 * Teams, Matrix), with the shared services they need: exactly-once delivery,
 * rate limiting, durable adapter state and leadership. The web chat is built
 * by main.ts (it is always there unless disabled).
 */
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platform-deps.js';

export type { BuiltPlatform, ChatPlatformDeps, PlatformTuning } from './chat-platform-deps.js';

export async function createChatPlatforms(deps: ChatPlatformDeps): Promise<BuiltPlatform[]> {
  const built: BuiltPlatform[] = [];
  const { platforms } = deps.config;
  // Each SDK is loaded only when its platform is configured: together they take seconds to import,
  // which every `relais` command and every start without them would pay.
  if (platforms.slack.settings) {
    const { createSlackPlatform } = await import('./slack-platform.factory.js');
    built.push(await createSlackPlatform(platforms.slack.settings, deps));
  }
  if (platforms.teams.settings) {
    const { createTeamsPlatform } = await import('./teams-platform.factory.js');
    built.push(await createTeamsPlatform(platforms.teams.settings, deps));
  }
  if (platforms.matrix.settings) {
    const { createMatrixPlatform } = await import('./matrix-platform.factory.js');
    built.push(await createMatrixPlatform(platforms.matrix.settings, deps));
  }
  return built;
}
