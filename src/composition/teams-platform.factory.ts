import type { TeamsSettings } from '../config.js';
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platforms.js';

/** Builds the Teams adapter (src/adapters/chat/teams). */
export async function createTeamsPlatform(settings: TeamsSettings, deps: ChatPlatformDeps): Promise<BuiltPlatform> {
  void settings;
  void deps;
  throw new Error('the Teams adapter is not built yet');
}
