/**
 * A Slack user answering a survey, as Slack's client would: reads the
 * interactive elements the bot posted in a channel (buttons, radio buttons,
 * checkboxes, selects, inputs) and sends signed `block_actions` posts, with
 * the input state a submit button carries.
 */
import { expect } from '@jest/globals';
import { deliverEvent, interactivityBody, type SlackFake } from '../slack-fake-server.js';

export type SlackElement = Record<string, unknown> & { type: string; action_id?: string };

/** Slack wants action ids unique in a message: the adapter appends `#n`. */
export const stripSuffix = (id: string): string => id.replace(/#\d+$/, '');

/** Every interactive element of the messages of a channel, in order (actions blocks and input blocks). */
export function elementsIn(fake: SlackFake, channel: string): SlackElement[] {
  return fake.messagesIn(channel).flatMap((m) =>
    m.blocks.flatMap((b) => {
      if (b.type === 'actions') return (b.elements as SlackElement[]) ?? [];
      if (b.type === 'input') return [b.element as SlackElement];
      return [];
    }),
  );
}

/** The latest answer element of a survey (not a start, submit or skip button). */
export function lastAnswerElement(fake: SlackFake, channel: string): SlackElement | undefined {
  return elementsIn(fake, channel)
    .filter((e) => e.action_id && stripSuffix(e.action_id).startsWith('survey:') && !stripSuffix(e.action_id).startsWith('survey:start:'))
    .filter((e) => !(e.type === 'button' && String(e.value ?? '').includes('~skip')))
    .at(-1);
}

/** The button that starts `campaignId`, once its invitation arrived. */
export const startButton = (fake: SlackFake, channel: string, campaignId: string): SlackElement | undefined =>
  elementsIn(fake, channel).find((e) => e.type === 'button' && e.action_id !== undefined && stripSuffix(e.action_id) === `survey:start:${campaignId}`);

export class SlackSurveyPerson {
  private seq = 0;

  constructor(
    private readonly fake: SlackFake,
    private readonly eventsUrl: string,
    private readonly signingSecret: string,
    /** Waits until the adapter finished handling what was delivered. */
    private readonly idle: () => Promise<void>,
  ) {}

  async blockActions(user: string, channel: string, actions: Array<Record<string, unknown>>, state?: Record<string, unknown>): Promise<void> {
    const n = ++this.seq;
    const ts = this.fake.messagesIn(channel).at(-1)?.ts ?? `${Math.floor(Date.now() / 1000)}.000001`;
    const body = interactivityBody({
      type: 'block_actions',
      user: { id: user, team_id: this.fake.teamId },
      team: { id: this.fake.teamId },
      channel: { id: channel },
      container: { type: 'message', channel_id: channel, message_ts: ts },
      trigger_id: `trig-survey-${n}`,
      message: { ts },
      ...(state ? { state: { values: state } } : {}),
      actions: actions.map((a) => ({ action_ts: `${Date.now() / 1000}.${n}`, ...a })),
    });
    const result = await deliverEvent(this.eventsUrl, body, { signingSecret: this.signingSecret });
    expect(result.status).toBe(200);
    await this.idle();
  }

  /** Answers the question whose element is `element` the way a person does in Slack. */
  async answer(user: string, channel: string, element: SlackElement, value: unknown): Promise<void> {
    const actionId = element.action_id!;
    const target = stripSuffix(actionId);
    switch (element.type) {
      case 'button': {
        // A scale: the latest button carrying this value.
        const button = elementsIn(this.fake, channel).findLast((e) => e.type === 'button' && e.action_id && stripSuffix(e.action_id) === target && JSON.parse(String(e.value)) === value);
        expect(button).toBeDefined();
        return this.blockActions(user, channel, [{ type: 'button', action_id: button!.action_id, value: button!.value }]);
      }
      case 'radio_buttons':
      case 'static_select': {
        const option = (element.options as Array<{ value: string }>).find((o) => o.value === value);
        expect(option).toBeDefined();
        return this.blockActions(user, channel, [{ type: element.type, action_id: actionId, selected_option: option }]);
      }
      case 'checkboxes':
      case 'multi_static_select': {
        const options = (element.options as Array<{ value: string }>).filter((o) => (value as string[]).includes(o.value));
        const submit = this.submitFor(channel, target);
        return this.blockActions(user, channel, [{ type: 'button', action_id: submit.action_id, value: submit.value }], {
          blk1: { [actionId]: { type: element.type, selected_options: options } },
        });
      }
      case 'number_input': {
        // Typed, then the "Envoyer" button.
        const submit = this.submitFor(channel, target);
        return this.blockActions(user, channel, [{ type: 'button', action_id: submit.action_id, value: submit.value }], {
          blk2: { [actionId]: { type: 'number_input', value: String(value) } },
        });
      }
      case 'plain_text_input':
        // Typed, then Enter (dispatch_action).
        return this.blockActions(user, channel, [{ type: 'plain_text_input', action_id: actionId, value: String(value) }]);
      default:
        throw new Error(`unexpected element ${element.type}`);
    }
  }

  /** The submit button sending a pending input to `target`. */
  private submitFor(channel: string, target: string): SlackElement {
    const button = elementsIn(this.fake, channel)
      .filter((e) => e.action_id && stripSuffix(e.action_id) === 'relais.submit')
      .filter((e) => (JSON.parse(String(e.value)) as { submit: string }).submit === target)
      .at(-1);
    expect(button).toBeDefined();
    return button!;
  }
}
