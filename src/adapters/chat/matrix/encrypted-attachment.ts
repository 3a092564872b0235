/**
 * Client-side encryption of attachments for end-to-end encrypted rooms
 * (spec "Sending encrypted attachments"): AES-256-CTR with a fresh key, a
 * 64-bit random IV prefix and a zero counter, SHA-256 of the ciphertext; the
 * key travels inside the (Megolm-encrypted) event as a JWK.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export interface EncryptedFileInfo {
  url: string;
  key: { kty: 'oct'; key_ops: ['encrypt', 'decrypt']; alg: 'A256CTR'; k: string; ext: true };
  iv: string;
  hashes: { sha256: string };
  v: 'v2';
}

const unpadded = (buffer: Buffer): string => buffer.toString('base64').replace(/=+$/, '');

export function encryptAttachment(plain: Buffer): { ciphertext: Buffer; file: Omit<EncryptedFileInfo, 'url'> } {
  const key = randomBytes(32);
  const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    ciphertext,
    file: {
      key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: key.toString('base64url'), ext: true },
      iv: unpadded(iv),
      hashes: { sha256: unpadded(createHash('sha256').update(ciphertext).digest()) },
      v: 'v2',
    },
  };
}
