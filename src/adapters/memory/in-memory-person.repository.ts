import type { Locale, Person, PersonRepository, PlatformAccount } from '../../core/ports/repositories.js';

export class InMemoryPersonRepository implements PersonRepository {
  private readonly people = new Map<string, Person>();
  private readonly accounts = new Map<string, PlatformAccount>();

  async resolveAccount(account: Omit<PlatformAccount, 'createdAt'>): Promise<Person> {
    const existing = this.accounts.get(account.accountKey);
    if (existing) return { ...this.people.get(existing.personId)! };
    const now = new Date();
    if (!this.people.has(account.personId)) {
      this.people.set(account.personId, { id: account.personId, locale: null, disclosedAt: null, createdAt: now });
    }
    this.accounts.set(account.accountKey, { ...account, createdAt: now });
    return { ...this.people.get(account.personId)! };
  }

  async findByAccount(accountKey: string): Promise<Person | null> {
    const account = this.accounts.get(accountKey);
    return account ? this.get(account.personId) : null;
  }

  async get(personId: string): Promise<Person | null> {
    const person = this.people.get(personId);
    return person ? { ...person } : null;
  }

  async accountsOf(personId: string): Promise<PlatformAccount[]> {
    return [...this.accounts.values()].filter((a) => a.personId === personId).map((a) => ({ ...a }));
  }

  async setLocale(personId: string, locale: Locale | null): Promise<void> {
    const person = this.people.get(personId);
    if (person) person.locale = locale;
  }

  async markDisclosed(personId: string, at: Date): Promise<boolean> {
    const person = this.people.get(personId);
    if (!person || person.disclosedAt) return false;
    person.disclosedAt = at;
    return true;
  }
}
