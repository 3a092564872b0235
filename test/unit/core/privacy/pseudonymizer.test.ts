import { randomBytes } from 'node:crypto';
import { createPseudonymizer } from '../../../../src/core/privacy/pseudonymizer.js';

describe('pseudonymizer', () => {
  const secret = randomBytes(48);
  const p = createPseudonymizer(secret);

  it('derives stable ids that do not reveal the platform id', () => {
    const key = p.accountKey('slack', 'U123ABC');
    expect(p.accountKey('slack', 'U123ABC')).toBe(key);
    expect(p.accountKey('teams', 'U123ABC')).not.toBe(key);
    expect(key).not.toContain('U123ABC');
    expect(p.personId(key)).toMatch(/^p_[A-Za-z0-9_-]{26}$/);
    expect(p.conversationId('slack', 'C1')).toMatch(/^c_[A-Za-z0-9_-]{26}$/);
  });

  it('gives other ids with another secret', () => {
    expect(createPseudonymizer(randomBytes(48)).accountKey('slack', 'U1')).not.toBe(p.accountKey('slack', 'U1'));
  });

  it('seals and unseals external ids, refusing tampering and other secrets', () => {
    const sealed = p.seal('@alice:tchap.gouv.fr');
    expect(sealed).not.toContain('alice');
    expect(p.seal('@alice:tchap.gouv.fr')).not.toBe(sealed);
    expect(p.unseal(sealed)).toBe('@alice:tchap.gouv.fr');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => p.unseal(tampered)).toThrow(expect.objectContaining({ code: 'privacy.bad_sealed_id' }));
    expect(() => createPseudonymizer(randomBytes(48)).unseal(sealed)).toThrow(expect.objectContaining({ code: 'privacy.bad_sealed_id' }));
  });

  it('refuses a weak secret', () => {
    expect(() => createPseudonymizer(Buffer.from('short'))).toThrow(expect.objectContaining({ code: 'privacy.weak_secret' }));
  });
});
