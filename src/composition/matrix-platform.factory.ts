import type { MatrixSettings } from '../config.js';
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platforms.js';

/** Builds the Matrix adapter (src/adapters/chat/matrix). */
export async function createMatrixPlatform(settings: MatrixSettings, deps: ChatPlatformDeps): Promise<BuiltPlatform> {
  void settings;
  void deps;
  throw new Error('the Matrix adapter is not built yet');
}
