/**
 * Files and large pictures on Teams: a file block becomes a file consent
 * card in a personal chat (the bytes wait in the platform state store under
 * the card's token) and a code block cut to size elsewhere; the consent
 * answer is read from its invoke; a chart too large for a card goes as a
 * picture message of its own.
 */
import { ADAPTIVE_CARD_CONTENT_TYPE, byteSize, renderTeamsMessage } from '../../../../../src/adapters/chat/teams/teams-render.js';
import {
  FILE_CONSENT_CONTENT_TYPE,
  FILE_INFO_CONTENT_TYPE,
  fileInfoActivity,
  readFileConsent,
} from '../../../../../src/adapters/chat/teams/teams-file-consent.js';
import { toTeamsInbound } from '../../../../../src/adapters/chat/teams/teams-inbound.js';
import { teamsLabels } from '../../../../../src/adapters/chat/teams/teams-labels.js';
import { FILE_EXPIRY_NAMESPACE, FILE_NAMESPACE, newFileToken, PENDING_FILE_TTL_MS, TeamsPendingFiles } from '../../../../../src/adapters/chat/teams/teams-pending-files.js';
import type { TeamsActivity } from '../../../../../src/adapters/chat/teams/teams-activity.js';
import { InMemoryPlatformStateStore } from '../../../../../src/adapters/memory/in-memory-platform-state.js';
import type { FileBlock, OutboundEnvelope, OutboundMessage } from '../../../../../src/core/messages/outbound.js';

function envelope(message: OutboundMessage, locale = 'fr'): OutboundEnvelope {
  return { id: 'env-1', cursor: '1', createdAt: new Date(), conversationId: 'c1', locale, message };
}

const CSV = 'submission_id,tache,duree\r\ns-1,Saisie des notes,90\r\ns-2,Relances,15\r\n';
const csvFile: FileBlock = { type: 'file', filename: 'irritants-c-1.csv', mimeType: 'text/csv', base64: Buffer.from(CSV).toString('base64'), title: 'irritants-c-1.csv' };
const exportMessage: OutboundMessage = { blocks: [{ type: 'text', markdown: 'Export de la campagne `c-1` : 2 réponses (CSV).' }, csvFile] };

describe('a file block in a personal chat', () => {
  const rendered = renderTeamsMessage(envelope(exportMessage), { conversationKind: 'direct', fileToken: () => 'tok-1' });

  it('sends the text, then a file consent card carrying only a token', () => {
    expect(rendered.activities).toHaveLength(2);
    const [text, consent] = rendered.activities as [TeamsActivity, TeamsActivity];
    expect(text.text).toContain('Export de la campagne `c-1`');
    expect(text.attachments).toBeUndefined();
    expect(consent.attachments).toEqual([
      {
        contentType: FILE_CONSENT_CONTENT_TYPE,
        name: 'irritants-c-1.csv',
        content: { description: 'irritants-c-1.csv', sizeInBytes: Buffer.byteLength(CSV), acceptContext: { relaisFile: 'tok-1' }, declineContext: { relaisFile: 'tok-1' } },
      },
    ]);
    // The bytes never travel through Teams: they wait for the token.
    expect(JSON.stringify(consent)).not.toContain(csvFile.base64);
    expect(rendered.files).toEqual([{ token: 'tok-1', block: csvFile, activityIndex: 1 }]);
  });

  it('sends the consent card alone when the message is only the file', () => {
    const alone = renderTeamsMessage(envelope({ blocks: [csvFile] }), { conversationKind: 'direct', fileToken: () => 'tok-2' });
    expect(alone.activities).toHaveLength(1);
    expect(alone.activities[0]!.attachments![0]!.contentType).toBe(FILE_CONSENT_CONTENT_TYPE);
    expect(alone.files![0]!.activityIndex).toBe(0);
  });

  it('makes unguessable tokens by default', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newFileToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('a file block in a channel or group chat (no file consent there)', () => {
  it('shows the CSV in a code block with a note on how to get the file', () => {
    for (const kind of ['channel', 'group'] as const) {
      const rendered = renderTeamsMessage(envelope(exportMessage), { conversationKind: kind });
      expect(rendered.files).toBeUndefined();
      expect(rendered.activities).toHaveLength(1);
      const text = rendered.activities[0]!.text!;
      expect(text).toContain('```\nsubmission_id,tache,duree\ns-1,Saisie des notes,90\ns-2,Relances,15\n```');
      expect(text).toContain('conversation privée');
      expect(text).not.toContain('Aperçu');
    }
  });

  it('cuts a large file at a line end, says how much is shown, and stays under the message size limit', () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => `s-${i},${'Une tâche répétitive et assez longue à décrire '.repeat(2)},${i % 600}`);
    const big: FileBlock = { ...csvFile, base64: Buffer.from(['submission_id,tache,duree', ...rows].join('\r\n')).toString('base64') };
    const rendered = renderTeamsMessage(envelope({ blocks: [exportMessage.blocks[0]!, big] }, 'en'), { conversationKind: 'channel' });
    expect(rendered.activities).toHaveLength(1);
    const text = rendered.activities[0]!.text!;
    const shown = /Preview: (\d+) of 2001 lines/.exec(text);
    expect(shown).not.toBeNull();
    const block = /```\n([\s\S]*?)\n```/.exec(text)![1]!.split('\n');
    expect(block).toHaveLength(Number(shown![1]));
    expect(block.at(-1)).toMatch(/^s-\d+,.*,\d+$/);
    expect(byteSize(rendered.activities[0]!)).toBeLessThan(24_000);
  });
});

describe('the file consent answer', () => {
  const uploadInfo = { name: 'irritants-c-1.csv', uploadUrl: 'https://upload.example/abc', contentUrl: 'https://contoso.sharepoint.com/x.csv', uniqueId: 'ID-1', fileType: 'csv' };

  it('reads accept (with its upload info) and decline, and refuses what is not ours', () => {
    expect(readFileConsent({ type: 'fileUpload', action: 'accept', context: { relaisFile: 'tok' }, uploadInfo })).toEqual({ action: 'accept', token: 'tok', uploadInfo });
    expect(readFileConsent({ type: 'fileUpload', action: 'decline', context: { relaisFile: 'tok' } })).toEqual({ action: 'decline', token: 'tok' });
    expect(readFileConsent({ type: 'fileUpload', action: 'accept', context: { filename: 'x' }, uploadInfo })).toBeUndefined();
    expect(readFileConsent({ type: 'fileUpload', action: 'accept', context: { relaisFile: 'tok' } })).toBeUndefined();
    expect(readFileConsent({ type: 'fileUpload', action: 'accept', context: { relaisFile: 'tok' }, uploadInfo: { ...uploadInfo, uploadUrl: 'file:///etc/passwd' } })).toBeUndefined();
    expect(readFileConsent({ type: 'other', action: 'accept', context: { relaisFile: 'tok' }, uploadInfo })).toBeUndefined();
  });

  it('maps the fileConsent/invoke to a file consent answer, not to an event for the core', () => {
    const activity: TeamsActivity = {
      type: 'invoke',
      name: 'fileConsent/invoke',
      id: 'inv-1',
      serviceUrl: 'https://smba.example/',
      channelId: 'msteams',
      from: { id: '29:u', aadObjectId: 'aad-u' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:personal', conversationType: 'personal' },
      replyToId: 'msg-9',
      value: { type: 'fileUpload', action: 'accept', context: { relaisFile: 'tok' }, uploadInfo },
    };
    const mapped = toTeamsInbound(activity, { now: new Date() });
    expect(mapped).toMatchObject({ kind: 'fileConsent', answer: { action: 'accept', token: 'tok' }, base: { conversation: { externalId: 'a:personal', kind: 'direct' } } });
    expect(toTeamsInbound({ ...activity, value: { type: 'fileUpload', action: 'accept', context: {} } }, { now: new Date() })).toMatchObject({ kind: 'ignored', invoke: true });
  });

  it('shows the uploaded file with a file info card', () => {
    const activity = fileInfoActivity(uploadInfo, teamsLabels('fr'));
    expect(activity.text).toBe('Fichier déposé dans votre OneDrive : **irritants-c-1.csv**');
    expect(activity.attachments).toEqual([{ contentType: FILE_INFO_CONTENT_TYPE, contentUrl: uploadInfo.contentUrl, name: 'irritants-c-1.csv', content: { uniqueId: 'ID-1', fileType: 'csv' } }]);
  });
});

describe('files waiting for consent (platform state)', () => {
  it('gives a file once, to its conversation only, and forgets it after 24 hours', async () => {
    const state = new InMemoryPlatformStateStore();
    let now = Date.parse('2026-12-07T09:00:00Z');
    const files = new TeamsPendingFiles(state, () => now);
    await files.offer('tok-a', csvFile, 'a:personal-1', 'fr');
    expect(await files.take('tok-a', 'a:other')).toEqual({ missing: true });
    const taken = await files.take('tok-a', 'a:personal-1');
    expect(taken).toMatchObject({ file: { filename: 'irritants-c-1.csv', mimeType: 'text/csv', base64: csvFile.base64, locale: 'fr' } });
    expect(await files.take('tok-a', 'a:personal-1')).toEqual({ missing: true });

    await files.offer('tok-b', csvFile, 'a:personal-1', 'fr');
    now += PENDING_FILE_TTL_MS + 1;
    expect(await files.take('tok-b', 'a:personal-1')).toEqual({ expired: true });

    // Files nobody answered are purged when the next one is offered.
    await files.offer('tok-c', csvFile, 'a:personal-1', 'fr');
    now += PENDING_FILE_TTL_MS + 1;
    await files.offer('tok-d', csvFile, 'a:personal-2', 'en');
    expect((await state.list(FILE_NAMESPACE)).map((e) => e.key)).toEqual(['tok-d']);
    expect((await state.list(FILE_EXPIRY_NAMESPACE)).map((e) => e.key)).toEqual(['tok-d']);
  });
});

describe('a chart too large for a card', () => {
  it('goes as a picture message of its own after the text, under Teams’ 28 KB', () => {
    const png = `iVBORw0KGgo${'A'.repeat(22_900)}`;
    const digest: OutboundMessage = {
      blocks: [
        { type: 'text', markdown: '**Synthèse**\n\nParticipation : 5 sur 6.' },
        { type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: png }, alt: 'Temps gagné par semaine : 40, 55, 60 minutes', title: 'Temps gagné — Finances' },
      ],
      footer: { text: 'Synthèse préparée avec une IA.', aiGenerated: true },
    };
    const { activities } = renderTeamsMessage(envelope(digest), { conversationKind: 'direct' });
    expect(activities).toHaveLength(2);
    const [text, picture] = activities as [TeamsActivity, TeamsActivity];
    expect(text.text).toContain('Participation : 5 sur 6.');
    expect(text.text).toContain('Synthèse préparée avec une IA.');
    expect(text.attachments).toBeUndefined();
    expect(picture.attachments).toEqual([{ contentType: 'image/png', contentUrl: `data:image/png;base64,${png}`, name: 'Temps gagné  Finances.png' }]);
    expect(picture.text).toContain('Temps gagné par semaine');
    expect(byteSize(picture)).toBeLessThanOrEqual(27_500);
    expect(activities.some((a) => a.attachments?.some((x) => x.contentType === ADAPTIVE_CARD_CONTENT_TYPE))).toBe(false);
  });
});
