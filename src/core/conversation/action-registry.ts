/**
 * Routes clicks and submitted inputs to the module that sent the control.
 *
 * Action ids are `<namespace>:<rest>` (e.g. `cmd:help`, `demo:scale`,
 * later `survey:<responseId>:<questionId>`); the namespace picks the handler.
 */
import type { InboundAction } from '../messages/inbound.js';
import type { ConversationContext } from './conversation-context.js';

export interface ActionHandler {
  namespace: string;
  /** `rest` is the action id without its namespace. */
  handle(context: ConversationContext, action: InboundAction, rest: string): Promise<void>;
}

export function splitActionId(actionId: string): { namespace: string; rest: string } {
  const colon = actionId.indexOf(':');
  return colon < 0
    ? { namespace: actionId, rest: '' }
    : { namespace: actionId.slice(0, colon), rest: actionId.slice(colon + 1) };
}

export class ActionRegistry {
  private readonly handlers = new Map<string, ActionHandler>();

  register(handler: ActionHandler): this {
    if (this.handlers.has(handler.namespace)) {
      throw new Error(`action namespace "${handler.namespace}" registered twice`);
    }
    this.handlers.set(handler.namespace, handler);
    return this;
  }

  resolve(actionId: string): { handler: ActionHandler; rest: string } | undefined {
    const { namespace, rest } = splitActionId(actionId);
    const handler = this.handlers.get(namespace);
    return handler ? { handler, rest } : undefined;
  }
}
