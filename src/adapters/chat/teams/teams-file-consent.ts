/**
 * Files in Teams (pure shapes; the platform does the I/O).
 *
 * Teams lets a bot give someone a file only in a personal chat, and only
 * with their consent (Teams bot APIs, "send and receive files"; the app
 * manifest must say `supportsFiles: true`):
 *
 * 1. the bot sends a file consent card
 *    (`application/vnd.microsoft.teams.card.file.consent`: description,
 *    size, and two contexts Teams hands back);
 * 2. on "Allow", Teams creates the file in the person's OneDrive and sends
 *    the invoke `fileConsent/invoke` with `action: "accept"` and
 *    `uploadInfo` (name, pre-authorized `uploadUrl`, `contentUrl`,
 *    `uniqueId`, `fileType`); on "Decline", `action: "decline"`;
 * 3. the bot PUTs the bytes to `uploadUrl` with a `Content-Range` header,
 *    then posts a file info card
 *    (`application/vnd.microsoft.teams.card.file.info`) naming the file.
 *
 * The card's contexts carry only a random token: the bytes wait in the
 * platform state store (see teams-pending-files.ts), never in Teams.
 *
 * Channels and group chats have no file consent (Graph would need the
 * SharePoint permissions of the team): there the file's text is shown in a
 * code block, cut to fit a Teams message, with a note saying so.
 */
import type { FileBlock } from '../../../core/messages/outbound.js';
import { asRecord, type TeamsActivity } from './teams-activity.js';
import type { TeamsLabels } from './teams-labels.js';

export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.info';
export const FILE_CONSENT_INVOKE = 'fileConsent/invoke';

/** What both contexts of our consent cards carry: the pending file's token, nothing else. */
export interface RelaisFileContext {
  relaisFile: string;
}

/** The accept/decline invoke, read from its `value`. */
export interface FileConsentAnswer {
  action: 'accept' | 'decline';
  token: string;
  uploadInfo?: FileUploadInfo;
}

/** Where Teams wants the bytes (`uploadUrl`) and how to name the uploaded file afterwards. */
export interface FileUploadInfo {
  name: string;
  uploadUrl: string;
  contentUrl: string;
  uniqueId: string;
  fileType: string;
}

/** The consent card for one file (personal chats). */
export function fileConsentActivity(block: FileBlock, token: string): TeamsActivity {
  const context: RelaisFileContext = { relaisFile: token };
  return {
    type: 'message',
    attachments: [
      {
        contentType: FILE_CONSENT_CONTENT_TYPE,
        name: block.filename,
        content: {
          description: block.title ?? block.filename,
          sizeInBytes: Buffer.byteLength(block.base64, 'base64'),
          acceptContext: context,
          declineContext: context,
        },
      },
    ],
  };
}

/** The message that shows the uploaded file, as Teams' file info card. */
export function fileInfoActivity(upload: FileUploadInfo, labels: TeamsLabels): TeamsActivity {
  return {
    type: 'message',
    text: labels.fileUploaded.replace('{name}', upload.name.replace(/[*_`<]/g, '')),
    textFormat: 'markdown',
    attachments: [
      {
        contentType: FILE_INFO_CONTENT_TYPE,
        contentUrl: upload.contentUrl,
        name: upload.name,
        content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
      },
    ],
  };
}

/** The `value` of a `fileConsent/invoke` about one of our files, or undefined (malformed, or not ours). */
export function readFileConsent(value: unknown): FileConsentAnswer | undefined {
  const record = asRecord(value);
  if (!record || record.type !== 'fileUpload') return undefined;
  const action = record.action;
  if (action !== 'accept' && action !== 'decline') return undefined;
  const token = asRecord(record.context)?.relaisFile;
  if (typeof token !== 'string' || token === '') return undefined;
  if (action === 'decline') return { action, token };
  const info = asRecord(record.uploadInfo);
  const fields = ['name', 'uploadUrl', 'contentUrl', 'uniqueId', 'fileType'] as const;
  if (!info || fields.some((f) => typeof info[f] !== 'string')) return undefined;
  if (!/^https?:\/\//i.test(info.uploadUrl as string)) return undefined;
  const uploadInfo = Object.fromEntries(fields.map((f) => [f, info[f] as string])) as unknown as FileUploadInfo;
  return { action, token, uploadInfo };
}

/** Bytes of a file's text shown in a channel or group chat, at most (the rest of the message needs room too). */
export const FALLBACK_FILE_BYTES = 12_000;

/**
 * A file as markdown where Teams cannot deliver files (channels, group
 * chats): its text in a code block, cut at a line end when too long, with
 * a note saying how much is shown and how to get the whole file.
 */
export function fileFallbackMarkdown(block: FileBlock, labels: TeamsLabels, maxBytes = FALLBACK_FILE_BYTES): string {
  const text = Buffer.from(block.base64, 'base64').toString('utf8').replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const lines = text.split('\n');
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > maxBytes) break;
    kept.push(line);
    bytes += size;
  }
  const language = block.mimeType === 'text/csv' ? 'csv' : block.mimeType === 'application/json' ? 'json' : '';
  // Backticks inside the file would close the fence early.
  const body = kept.join('\n').replace(/```/g, "'''");
  const title = `**${(block.title ?? block.filename).replace(/[*_`]/g, '')}**`;
  const note = kept.length < lines.length ? labels.fileTruncated.replace('{shown}', String(kept.length)).replace('{total}', String(lines.length)) : labels.fileInChannel;
  return `${title}\n\n\`\`\`${language}\n${body}\n\`\`\`\n\n_${note}_`;
}
