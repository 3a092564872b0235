/**
 * Buttons that run a chat command, so people can click instead of typing.
 * Handled by the `cmd` action namespace (see `run-command.action.ts`).
 */
import type { Button, ButtonStyle } from '../../messages/outbound.js';

export const COMMAND_ACTION_NAMESPACE = 'cmd';

export function commandButton(commandId: string, label: string, style: ButtonStyle = 'default', args?: string): Button {
  return { actionId: `${COMMAND_ACTION_NAMESPACE}:${commandId}`, label, style, ...(args ? { value: args } : {}) };
}
