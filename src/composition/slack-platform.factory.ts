import type { SlackSettings } from '../config.js';
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platforms.js';

/** Builds the Slack adapter (src/adapters/chat/slack). */
export async function createSlackPlatform(settings: SlackSettings, deps: ChatPlatformDeps): Promise<BuiltPlatform> {
  void settings;
  void deps;
  throw new Error('the Slack adapter is not built yet');
}
