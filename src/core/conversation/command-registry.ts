/**
 * Chat commands ("aide", "à propos", later "sondage lancer …") and how a
 * message is matched to one. Every module adds its commands here; the help
 * message lists them, so a new capability shows up without editing help.
 */
import type { Locale } from '../i18n/locale.js';
import type { ConversationContext } from './conversation-context.js';

export interface Command {
  /** Stable id, also used by buttons (`cmd:<id>`). */
  id: string;
  /** Words that invoke the command in each locale; the first is shown in help. Matched without accents or case. */
  names: Record<Locale, string[]>;
  /** One line for the help message. */
  describe(locale: Locale): string;
  /** Hidden commands work but are not listed in help. */
  hidden?: boolean;
  run(context: ConversationContext, args: string): Promise<void>;
}

export interface CommandMatch {
  command: Command;
  /** The rest of the message after the command words, original case kept. */
  args: string;
}

/** Longest command name, in words ("sondage lancer" is 2). */
const MAX_NAME_WORDS = 4;

/** Prefixes people type out of habit on other bots: "/relais aide", "!aide", "@Relais aide". */
const INVOCATION_PREFIX = /^(?:[/!]\s*)?(?:@?relais\b[\s,:]*)?[/!]?/i;

/** Lower case, no accents, typographic apostrophes and spaces normalised. */
export function normalizeWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[’'`]/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when the text looks like an explicit command ("/x", "!x"), not free writing. */
export function looksLikeCommand(text: string): boolean {
  return /^\s*[/!]\S/.test(text);
}

export class CommandRegistry {
  private readonly commands: Command[] = [];
  /** Each name of each command as normalised words, computed once. */
  private readonly names: { command: Command; words: string[] }[] = [];

  register(command: Command): this {
    if (this.commands.some((c) => c.id === command.id)) {
      throw new Error(`command "${command.id}" registered twice`);
    }
    this.commands.push(command);
    for (const name of [...command.names.fr, ...command.names.en]) {
      this.names.push({ command, words: normalizeWords(name).split(' ') });
    }
    return this;
  }

  get(id: string): Command | undefined {
    return this.commands.find((c) => c.id === id);
  }

  /** Commands shown in help, in registration order. */
  listed(): Command[] {
    return this.commands.filter((c) => !c.hidden);
  }

  /** Finds the command a message starts with; the longest matching name wins ("a propos" before "a"). */
  match(text: string): CommandMatch | undefined {
    const stripped = text.trim().replace(INVOCATION_PREFIX, '').trim();
    // Command names have at most a few words: normalise only the head of long messages.
    const words = stripped.split(/\s+/).filter(Boolean);
    const normalized = words.slice(0, MAX_NAME_WORDS).map(normalizeWords);
    let best: { command: Command; length: number } | undefined;
    for (const { command, words: nameWords } of this.names) {
      const matches = nameWords.every((w, i) => normalized[i] === w);
      if (matches && (!best || nameWords.length > best.length)) best = { command, length: nameWords.length };
    }
    if (!best) return undefined;
    return { command: best.command, args: words.slice(best.length).join(' ') };
  }
}
