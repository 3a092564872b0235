import { t } from '../../i18n/translate.js';
import { textMessage } from '../../messages/outbound.js';
import type { ConversationContext } from '../conversation-context.js';

/** Reply for a click on a control the bot no longer knows (old message, removed feature). */
export async function unknownActionReply(context: ConversationContext): Promise<void> {
  await context.reply.send(textMessage(t(context.locale, 'error.unknownAction')));
}
