import { CommandRegistry, looksLikeCommand, normalizeWords } from '../../../../src/core/conversation/command-registry.js';
import type { Command } from '../../../../src/core/conversation/command-registry.js';

const command = (id: string, fr: string[], en: string[]): Command => ({
  id,
  names: { fr, en },
  describe: () => id,
  run: async () => undefined,
});

describe('command matching', () => {
  const registry = new CommandRegistry()
    .register(command('help', ['aide', '?'], ['help']))
    .register(command('about', ['à propos', 'a propos'], ['about']))
    .register(command('survey-launch', ['sondage lancer'], ['survey launch']));

  it.each([
    ['aide', 'help', ''],
    ['AIDE', 'help', ''],
    ['  Aide  ', 'help', ''],
    ['/aide', 'help', ''],
    ['!help', 'help', ''],
    ['/relais aide', 'help', ''],
    ['@Relais aide', 'help', ''],
    ['relais, aide', 'help', ''],
    ['?', 'help', ''],
    ['À propos', 'about', ''],
    ['a propos', 'about', ''],
    ['A PROPOS', 'about', ''],
    ['sondage lancer irritants @Equipe-RH', 'survey-launch', 'irritants @Equipe-RH'],
    ['Survey launch checkin', 'survey-launch', 'checkin'],
  ])('%s → %s (%s)', (text, id, args) => {
    const match = registry.match(text);
    expect(match?.command.id).toBe(id);
    expect(match?.args).toBe(args);
  });

  it.each(['aidez-moi à comprendre ce stage', 'je voudrais de l’aide', 'propos', 'sondage', 'bonjour'])('does not take "%s" for a command', (text) => {
    expect(registry.match(text)).toBeUndefined();
  });

  it('refuses two commands with the same id', () => {
    expect(() => registry.register(command('help', ['x'], ['x']))).toThrow(/registered twice/);
  });

  it('recognises explicit command syntax', () => {
    expect(looksLikeCommand('/inconnu')).toBe(true);
    expect(looksLikeCommand('!x')).toBe(true);
    expect(looksLikeCommand('bonjour / au revoir')).toBe(false);
    expect(normalizeWords('  Ça   VA l’Été ')).toBe('ca va l ete');
  });
});
