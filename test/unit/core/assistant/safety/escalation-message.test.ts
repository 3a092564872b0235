import { escalationMessage, isNightlineOpen } from '../../../../../src/core/assistant/safety/escalation-message.js';
import type { OutboundMessage } from '../../../../../src/core/messages/outbound.js';

const PARIS = 'Europe/Paris';
const contacts = { humanContact: 'accueil@irts.example', institutionContacts: 'Mme Martin, référente vie étudiante, 03 20 00 00 00' };

/** Paris is UTC+1 in winter and UTC+2 in summer: the same local times are different instants. */
const WINTER = {
  '20:59': new Date('2026-01-15T19:59:00Z'),
  '21:00': new Date('2026-01-15T20:00:00Z'),
  '02:29': new Date('2026-01-16T01:29:00Z'),
  '02:30': new Date('2026-01-16T01:30:00Z'),
};
const SUMMER = {
  '20:59': new Date('2026-07-15T18:59:00Z'),
  '21:00': new Date('2026-07-15T19:00:00Z'),
  '02:29': new Date('2026-07-16T00:29:00Z'),
  '02:30': new Date('2026-07-16T00:30:00Z'),
};
const NOON = new Date('2026-03-10T11:00:00Z');
const MIDNIGHT = new Date('2026-03-10T23:00:00Z');

function text(message: OutboundMessage): string {
  return message.blocks.map((block) => (block.type === 'text' ? block.markdown : '')).join('\n');
}

describe('isNightlineOpen', () => {
  it.each([
    ['winter', WINTER],
    ['summer', SUMMER],
  ])('opens at 21:00 and closes at 02:30 Paris time (%s)', (_season, times) => {
    expect(isNightlineOpen(times['20:59'], PARIS)).toBe(false);
    expect(isNightlineOpen(times['21:00'], PARIS)).toBe(true);
    expect(isNightlineOpen(times['02:29'], PARIS)).toBe(true);
    expect(isNightlineOpen(times['02:30'], PARIS)).toBe(false);
  });

  it('is open around midnight and closed at noon', () => {
    expect(isNightlineOpen(MIDNIGHT, PARIS)).toBe(true);
    expect(isNightlineOpen(NOON, PARIS)).toBe(false);
  });

  it('reads the hour in the given time zone', () => {
    // 20:00Z is 21:00 in Paris in winter but 15:00 in New York.
    expect(isNightlineOpen(WINTER['21:00'], 'America/New_York')).toBe(false);
    expect(isNightlineOpen(new Date('2026-01-16T02:00:00Z'), 'America/New_York')).toBe(true);
  });

  it('falls back to Paris time for an unknown time zone instead of throwing', () => {
    expect(isNightlineOpen(WINTER['21:00'], 'Not/AZone')).toBe(true);
    expect(isNightlineOpen(WINTER['20:59'], 'Not/AZone')).toBe(false);
  });
});

describe('escalationMessage: crisis', () => {
  it('gives 3114, emergency numbers and the institution’s contacts in French, without Nightline in the day', () => {
    const message = escalationMessage('fr', 'crisis', NOON, PARIS, contacts);
    const body = text(message);
    expect(body).toContain('vous n’êtes pas seul·e');
    expect(body).toContain('**3114**');
    expect(body).toContain('24h/24 et 7j/7, gratuit');
    expect(body).toMatch(/\*\*15\*\*.*\*\*112\*\*/);
    expect(body).toContain(contacts.institutionContacts);
    expect(body).not.toContain('Nightline');
    expect(body).not.toMatch(/diagnos|dépress/i);
  });

  it.each([
    ['winter', WINTER],
    ['summer', SUMMER],
  ])('offers Nightline only during its hours (%s)', (_season, times) => {
    const at = (now: Date): string => text(escalationMessage('fr', 'crisis', now, PARIS, contacts));
    expect(at(times['20:59'])).not.toContain('Nightline');
    expect(at(times['21:00'])).toContain('Nightline, ligne d’écoute par et pour les étudiant·es, ce soir jusqu’à 2h30');
    expect(at(times['21:00'])).toContain('nightline.fr');
    expect(at(times['02:29'])).toContain('Nightline');
    expect(at(times['02:30'])).not.toContain('Nightline');
  });

  it('uses the human contact when the institution has no specific contacts', () => {
    const body = text(escalationMessage('fr', 'crisis', NOON, PARIS, { humanContact: 'accueil@irts.example' }));
    expect(body).toContain('Votre établissement : accueil@irts.example.');
    const blank = text(escalationMessage('fr', 'crisis', NOON, PARIS, { humanContact: 'accueil@irts.example', institutionContacts: '  ' }));
    expect(blank).toContain('accueil@irts.example');
  });

  it('speaks English when asked', () => {
    const body = text(escalationMessage('en', 'crisis', MIDNIGHT, PARIS, contacts));
    expect(body).toContain('you are not alone');
    expect(body).toContain('**3114**');
    expect(body).toMatch(/\*\*15\*\*.*\*\*112\*\*/);
    expect(body).toContain('Nightline');
    expect(body).toContain(contacts.institutionContacts);
  });

  it('is a plain text reply with a human-written safety footer', () => {
    const message = escalationMessage('fr', 'crisis', NOON, PARIS, contacts);
    expect(message.purpose).toBe('reply');
    expect(message.blocks.map((block) => block.type)).toEqual(['text']);
    expect(message.footer).toEqual({ text: 'Message de sécurité automatique — Relais ne remplace pas une aide humaine', aiGenerated: false });
    expect(escalationMessage('en', 'concern', NOON, PARIS, contacts).footer).toEqual({
      text: 'Automatic safety message — Relais does not replace human help',
      aiGenerated: false,
    });
  });
});

describe('escalationMessage: concern', () => {
  it('acknowledges, points to the tutor, the referent and the school, and keeps 3114 for later', () => {
    const body = text(escalationMessage('fr', 'concern', NOON, PARIS, contacts));
    expect(body).toContain('difficile');
    expect(body).toMatch(/tuteur·rice/);
    expect(body).toMatch(/référent·e/);
    expect(body).toContain(contacts.institutionContacts);
    expect(body).toContain('**3114**');
    expect(body).not.toContain('**112**');
    expect(body).not.toContain('Nightline');
  });

  it('mentions Nightline in the evening too', () => {
    expect(text(escalationMessage('fr', 'concern', SUMMER['21:00'], PARIS, contacts))).toContain('Nightline');
    expect(text(escalationMessage('en', 'concern', SUMMER['20:59'], PARIS, contacts))).not.toContain('Nightline');
  });
});
