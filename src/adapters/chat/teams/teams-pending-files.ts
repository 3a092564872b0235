/**
 * Files waiting for a person's consent in Teams (see teams-file-consent.ts),
 * in the shared platform state store so that any instance can answer the
 * accept invoke and a restart loses nothing:
 *
 * - `teams.files`: token → the file (name, type, bytes in base64), the
 *   conversation it was offered in, the locale, and when it expires;
 * - `teams.files.expiry`: token → expiry only, so purging expired files
 *   lists a namespace of small values, never the bytes.
 *
 * The token is 32 random bytes: the consent card carries it, and only the
 * person who got the card can hand it back. A file is deleted once
 * accepted or declined, and after 24 hours otherwise — exports hold survey
 * answers, which are kept nowhere longer than needed (GDPR art. 5(1)(e)).
 */
import { randomBytes } from 'node:crypto';
import type { FileBlock } from '../../../core/messages/outbound.js';
import type { PlatformStateStore } from '../../../core/ports/platform-state.js';

export const FILE_NAMESPACE = 'teams.files';
export const FILE_EXPIRY_NAMESPACE = 'teams.files.expiry';
/** How long an offered file waits for the person's answer. */
export const PENDING_FILE_TTL_MS = 24 * 60 * 60 * 1000;

export interface PendingFile {
  filename: string;
  mimeType: FileBlock['mimeType'];
  base64: string;
  /** Teams conversation the consent card went to: only an answer from there may take the file. */
  conversationId: string;
  locale: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** A new unguessable token for one offered file. */
export function newFileToken(): string {
  return randomBytes(32).toString('base64url');
}

export class TeamsPendingFiles {
  constructor(
    private readonly state: PlatformStateStore,
    private readonly now: () => number,
  ) {}

  /** Keeps `block` for `token` until answered or expired, and drops files that expired meanwhile. */
  async offer(token: string, block: FileBlock, conversationId: string, locale: string): Promise<void> {
    await this.purgeExpired();
    const expiresAt = this.now() + PENDING_FILE_TTL_MS;
    const file: PendingFile = { filename: block.filename, mimeType: block.mimeType, base64: block.base64, conversationId, locale, expiresAt };
    await this.state.set(FILE_EXPIRY_NAMESPACE, token, { expiresAt });
    await this.state.set(FILE_NAMESPACE, token, file);
  }

  /**
   * Takes the file of `token` out of the store (it is gone afterwards,
   * whatever happens next). `missing`: unknown, already used or offered in
   * another conversation; `expired`: offered more than 24 hours ago.
   */
  async take(token: string, conversationId: string): Promise<{ file: PendingFile } | { missing: true } | { expired: true }> {
    const file = await this.state.get<PendingFile>(FILE_NAMESPACE, token);
    if (!file || file.conversationId !== conversationId) return { missing: true };
    await this.forget(token);
    return file.expiresAt <= this.now() ? { expired: true } : { file };
  }

  private async purgeExpired(): Promise<void> {
    const now = this.now();
    for (const { key, value } of await this.state.list<{ expiresAt: number }>(FILE_EXPIRY_NAMESPACE)) {
      if (value.expiresAt <= now) await this.forget(key);
    }
  }

  private async forget(token: string): Promise<void> {
    await this.state.delete(FILE_NAMESPACE, token);
    await this.state.delete(FILE_EXPIRY_NAMESPACE, token);
  }
}
