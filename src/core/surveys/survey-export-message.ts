/**
 * A campaign export as a chat message for its coordinator: one line saying
 * what it is, and the export itself as a file block (CSV or JSON). Exports
 * too large for chat say so and point to the CLI rather than being cut: a
 * truncated CSV would be silently wrong.
 */
import type { Locale } from '../i18n/locale.js';
import { MAX_FILE_BLOCK_BYTES, textMessage, type OutboundMessage } from '../messages/outbound.js';
import type { Campaign } from '../ports/campaign-repository.js';
import type { SurveyResults } from './survey-results.js';
import { st } from './survey-texts.js';

export type ChatExportFormat = 'csv' | 'json';

export async function exportMessage(results: SurveyResults, campaign: Campaign, format: ChatExportFormat, locale: Locale): Promise<OutboundMessage> {
  const { text, rows } =
    format === 'json'
      ? await results.exportJson(campaign).then((json) => ({ text: `${JSON.stringify(json, null, 2)}\n`, rows: (json as { submissions: unknown[] }).submissions.length }))
      : await results.exportCsv(campaign).then(({ csv, rows }) => ({ text: csv, rows }));
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_FILE_BLOCK_BYTES) {
    return textMessage(st(locale, 'export.tooLarge', { id: campaign.id, rows, format, megabytes: Math.ceil(bytes.length / 1024 / 1024) }));
  }
  const filename = `${campaign.surveyId}-${campaign.id}.${format}`;
  return {
    blocks: [
      { type: 'text', markdown: st(locale, 'export.done', { id: campaign.id, rows, format: format.toUpperCase() }) },
      { type: 'file', filename, mimeType: format === 'json' ? 'application/json' : 'text/csv', base64: bytes.toString('base64'), title: filename },
    ],
  };
}
