/**
 * One-way respondent tokens of anonymous campaigns: HMAC-SHA256, with a key
 * derived from the instance secret (own HKDF label, like the pseudonyms of
 * `core/privacy/pseudonymizer.ts`), of the campaign id and the person id.
 * Stable, so a second submission is refused; not reversible, and different
 * for every campaign, so tokens of two campaigns cannot be joined.
 */
import { createHmac, hkdfSync } from 'node:crypto';

export type RespondentTokens = (campaignId: string, personId: string) => string;

export function createRespondentTokens(secret: Buffer): RespondentTokens {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'relais/survey-respondent-tokens', 32));
  return (campaignId, personId) => `t_${createHmac('sha256', key).update(`${campaignId}\u0000${personId}`).digest('base64url').slice(0, 32)}`;
}
