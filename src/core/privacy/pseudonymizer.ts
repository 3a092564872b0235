/**
 * Pseudonymous identities (RGPD art. 4(5) and 25: data protection by design).
 *
 * Platform ids never appear in clear in the database: a person and a
 * conversation are known by keyed hashes (HMAC-SHA256 with the instance
 * secret), so the data alone cannot be linked back to a Slack, Teams or
 * Matrix account. The only reversible form is the sealed external id
 * (AES-256-GCM), kept because proactive messages must reach the person; it
 * is useless without the secret.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { PlatformName } from '../messages/conversation-ref.js';
import { RelaisError } from '../errors.js';

export interface Pseudonymizer {
  /** Lookup key of a platform account. */
  accountKey(platform: PlatformName, externalId: string): string;
  /** Person id derived from the first account that person used. */
  personId(accountKey: string): string;
  /** Stable id of a platform conversation. */
  conversationId(platform: PlatformName, externalConversationId: string): string;
  seal(plain: string): string;
  unseal(sealed: string): string;
}

const MIN_SECRET_BYTES = 32;
const MEMO_SIZE = 10_000;

export function createPseudonymizer(secret: Buffer): Pseudonymizer {
  if (secret.length < MIN_SECRET_BYTES) {
    throw new RelaisError('privacy.weak_secret', `instance secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const hmacKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'relais/pseudonyms', 32));
  const sealKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'relais/sealed-ids', 32));
  const memo = new Map<string, string>();
  // Every message needs the same few keyed hashes: remember recent ones (bounded, oldest evicted first).
  const mac = (label: string, value: string): string => {
    const input = `${label}\u0000${value}`;
    let digest = memo.get(input);
    if (digest === undefined) {
      digest = createHmac('sha256', hmacKey).update(input).digest('base64url');
      if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
      memo.set(input, digest);
    }
    return digest;
  };

  return {
    accountKey: (platform, externalId) => mac('account', `${platform}:${externalId}`),
    personId: (accountKey) => `p_${mac('person', accountKey).slice(0, 26)}`,
    conversationId: (platform, externalId) => `c_${mac('conversation', `${platform}:${externalId}`).slice(0, 26)}`,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    unseal(sealed) {
      const [version, payload] = sealed.split('.');
      if (version !== 'v1' || !payload) throw new RelaisError('privacy.bad_sealed_id', 'unknown sealed id format');
      const raw = Buffer.from(payload, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', sealKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new RelaisError('privacy.bad_sealed_id', 'sealed id cannot be opened with this secret', { cause });
      }
    },
  };
}
