import type { Locale, Person, PersonRepository, PlatformAccount } from '../../../core/ports/repositories.js';
import type { PlatformName } from '../../../core/messages/conversation-ref.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';

type PersonRow = { id: string; locale: string | null; disclosedAt: Date | null; createdAt: Date };

function toPerson(row: PersonRow): Person {
  return { id: row.id, locale: row.locale as Locale | null, disclosedAt: row.disclosedAt, createdAt: row.createdAt };
}

export class PrismaPersonRepository implements PersonRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async resolveAccount(account: Omit<PlatformAccount, 'createdAt'>): Promise<Person> {
    const existing = await this.prisma.platformAccount.findUnique({
      where: { accountKey: account.accountKey },
      include: { person: true },
    });
    if (existing) return toPerson(existing.person);
    // ON CONFLICT DO NOTHING: two first messages racing create one person and one account.
    await this.prisma.$executeRaw`INSERT INTO people (id) VALUES (${account.personId}) ON CONFLICT (id) DO NOTHING`;
    await this.prisma.$executeRaw`
      INSERT INTO platform_accounts (account_key, platform, person_id, sealed_external_id)
      VALUES (${account.accountKey}, ${account.platform}, ${account.personId}, ${account.sealedExternalId})
      ON CONFLICT (account_key) DO NOTHING`;
    const created = await this.prisma.platformAccount.findUniqueOrThrow({
      where: { accountKey: account.accountKey },
      include: { person: true },
    });
    return toPerson(created.person);
  }

  async findByAccount(accountKey: string): Promise<Person | null> {
    const account = await this.prisma.platformAccount.findUnique({ where: { accountKey }, include: { person: true } });
    return account ? toPerson(account.person) : null;
  }

  async get(personId: string): Promise<Person | null> {
    const row = await this.prisma.person.findUnique({ where: { id: personId } });
    return row ? toPerson(row) : null;
  }

  async accountsOf(personId: string): Promise<PlatformAccount[]> {
    const rows = await this.prisma.platformAccount.findMany({ where: { personId }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({ ...r, platform: r.platform as PlatformName }));
  }

  async setLocale(personId: string, locale: Locale | null): Promise<void> {
    await this.prisma.person.updateMany({ where: { id: personId }, data: { locale } });
  }

  async markDisclosed(personId: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.person.updateMany({ where: { id: personId, disclosedAt: null }, data: { disclosedAt: at } });
    return count === 1;
  }
}
