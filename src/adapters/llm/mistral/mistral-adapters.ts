/** The Mistral adapters together: one module to load when a key is configured. */
export { MistralEmbedder } from './mistral-embedder.js';
export { MistralLanguageModel } from './mistral-language-model.js';
export { MistralModerator } from './mistral-moderator.js';
