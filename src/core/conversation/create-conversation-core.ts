/**
 * Assembles the conversation layer with its built-in commands. Capabilities
 * (assistant, surveys, logbook) add their commands and action handlers to
 * the returned registries before the platforms start.
 */
import type { PlatformName } from '../messages/conversation-ref.js';
import type { ChatPlatform } from '../ports/chat-platform.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Logger } from '../ports/logger.js';
import type { Repositories } from '../ports/repositories.js';
import type { ProductSettings } from '../product-settings.js';
import type { Pseudonymizer } from '../privacy/pseudonymizer.js';
import { IdentityService } from '../identity/identity-service.js';
import { ActionRegistry } from './action-registry.js';
import { CommandRegistry } from './command-registry.js';
import { aboutCommand } from './commands/about.command.js';
import { demoAction, demoCommand } from './commands/demo.command.js';
import { createHelpCommand } from './commands/help.command.js';
import { languageCommand } from './commands/language.command.js';
import { createRunCommandAction } from './commands/run-command.action.js';
import { ConversationService, type ConfidentialityPolicy, type FreeTextHandler, type SafetyHook } from './conversation-service.js';
import { DeliveryHistory } from './delivery-history.js';
import { MessageRecorder } from './message-recorder.js';
import { ProactiveMessenger } from './proactive-messenger.js';

export interface ConversationCoreDeps {
  settings: ProductSettings;
  repositories: Repositories;
  pseudonymizer: Pseudonymizer;
  /** Running chat platforms by name; filled by the composition root before delivery starts. */
  platforms: ReadonlyMap<PlatformName, ChatPlatform>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  freeText?: FreeTextHandler;
  safety?: SafetyHook;
  confidentiality?: ConfidentialityPolicy;
}

export interface ConversationCore {
  service: ConversationService;
  messenger: ProactiveMessenger;
  commands: CommandRegistry;
  actions: ActionRegistry;
  identities: IdentityService;
  history: DeliveryHistory;
}

export function createConversationCore(deps: ConversationCoreDeps): ConversationCore {
  const { repositories: repos, settings, clock, logger } = deps;
  const identities = new IdentityService(repos.people, repos.conversations, deps.pseudonymizer, clock);
  const recorder = new MessageRecorder(repos.messages, deps.ids, clock, settings.messageRetentionDays);
  const commands = new CommandRegistry();
  commands.register(createHelpCommand(commands)).register(aboutCommand).register(languageCommand).register(demoCommand);
  const actions = new ActionRegistry().register(createRunCommandAction(commands)).register(demoAction);
  const service = new ConversationService({
    settings,
    identities,
    people: repos.people,
    conversations: repos.conversations,
    recorder,
    audit: repos.audit,
    commands,
    actions,
    clock,
    logger,
    freeText: deps.freeText,
    safety: deps.safety,
    confidentiality: deps.confidentiality,
  });
  const messenger = new ProactiveMessenger({
    platforms: deps.platforms,
    identities,
    people: repos.people,
    recorder,
    audit: repos.audit,
    settings,
    clock,
    logger,
  });
  const history = new DeliveryHistory(identities, repos.messages);
  return { service, messenger, commands, actions, identities, history };
}
