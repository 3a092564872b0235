/**
 * What a Matrix client does with an attachment it received (`m.file`,
 * `m.image`): downloads the bytes through the authenticated media API and,
 * for an encrypted attachment, checks the SHA-256 of the ciphertext and
 * decrypts it with AES-256-CTR (spec "Sending encrypted attachments"), as
 * Element does. Written from the spec, independently of the adapter's
 * encrypt side, so a mistake there shows up here.
 */
import { createDecipheriv, createHash } from 'node:crypto';

export interface ReceivedFile {
  url: string;
  key: { kty: string; alg: string; k: string; key_ops: string[]; ext: boolean };
  iv: string;
  hashes: Record<string, string>;
  v: string;
}

/** Spec base64 is unpadded; Node accepts both, but compare unpadded. */
const unpadded = (text: string): string => text.replace(/=+$/, '');

/** Decrypts an encrypted attachment; throws when the hash or the key is not what the event says. */
export function decryptAttachment(ciphertext: Buffer, file: ReceivedFile): Buffer {
  if (file.v !== 'v2') throw new Error(`unsupported encrypted attachment version ${file.v}`);
  if (file.key.alg !== 'A256CTR' || file.key.kty !== 'oct' || !file.key.key_ops.includes('decrypt')) throw new Error('unexpected key');
  const digest = createHash('sha256').update(ciphertext).digest('base64');
  if (unpadded(digest) !== unpadded(file.hashes.sha256 ?? '')) throw new Error('sha256 of the ciphertext does not match the event');
  const key = Buffer.from(file.key.k, 'base64url');
  const iv = Buffer.from(file.iv, 'base64');
  if (key.length !== 32 || iv.length !== 16) throw new Error('bad key or iv length');
  const decipher = createDecipheriv('aes-256-ctr', key, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** Downloads `mxc://server/id` through the authenticated media endpoint (spec v1.11). */
export async function downloadMedia(baseUrl: string, accessToken: string, mxc: string): Promise<Buffer> {
  const m = /^mxc:\/\/([^/]+)\/([^/]+)$/.exec(mxc);
  if (!m) throw new Error(`not an mxc URI: ${mxc}`);
  const response = await fetch(`${baseUrl}/_matrix/client/v1/media/download/${encodeURIComponent(m[1]!)}/${encodeURIComponent(m[2]!)}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (!response.ok) throw new Error(`media download failed: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * The plain bytes of an attachment event's content: the `file` (encrypted)
 * or the `url` (plain) is downloaded, then decrypted when needed.
 */
export async function attachmentBytes(baseUrl: string, accessToken: string, content: Record<string, unknown>): Promise<{ bytes: Buffer; encrypted: boolean }> {
  const file = content.file as ReceivedFile | undefined;
  if (file) return { bytes: decryptAttachment(await downloadMedia(baseUrl, accessToken, file.url), file), encrypted: true };
  if (typeof content.url === 'string') return { bytes: await downloadMedia(baseUrl, accessToken, content.url), encrypted: false };
  throw new Error('the event has neither file nor url');
}
