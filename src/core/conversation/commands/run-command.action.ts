/**
 * Runs the chat command named by a `cmd:<id>` button; the button value, if
 * any, becomes the command's arguments.
 */
import type { ActionHandler } from '../action-registry.js';
import type { CommandRegistry } from '../command-registry.js';
import { COMMAND_ACTION_NAMESPACE } from './command-button.js';
import { unknownActionReply } from './unknown-action.js';

export function createRunCommandAction(commands: CommandRegistry): ActionHandler {
  return {
    namespace: COMMAND_ACTION_NAMESPACE,
    async handle(context, action, commandId) {
      const command = commands.get(commandId);
      if (!command) return unknownActionReply(context);
      await command.run(context, typeof action.value === 'string' ? action.value : '');
    },
  };
}
