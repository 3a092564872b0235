/**
 * Builds the platform adapters whose credentials are configured (Slack,
 * Teams, Matrix), with the shared services they need: exactly-once delivery,
 * rate limiting, durable adapter state and leadership. The web chat is built
 * by main.ts (it is always there unless disabled).
 */
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platform-deps.js';
import { createSlackPlatform } from './slack-platform.factory.js';
import { createTeamsPlatform } from './teams-platform.factory.js';
import { createMatrixPlatform } from './matrix-platform.factory.js';

export type { BuiltPlatform, ChatPlatformDeps } from './chat-platform-deps.js';

export async function createChatPlatforms(deps: ChatPlatformDeps): Promise<BuiltPlatform[]> {
  const built: BuiltPlatform[] = [];
  const { platforms } = deps.config;
  if (platforms.slack.settings) built.push(await createSlackPlatform(platforms.slack.settings, deps));
  if (platforms.teams.settings) built.push(await createTeamsPlatform(platforms.teams.settings, deps));
  if (platforms.matrix.settings) built.push(await createMatrixPlatform(platforms.matrix.settings, deps));
  return built;
}
