/**
 * Digest delivery claims in the `digest_deliveries` table (PGlite or a
 * PostgreSQL server): the primary key (team, period, person) makes the
 * claim atomic across instances.
 */
import type { DigestDeliveryStore } from '../../../core/ports/digest-delivery-store.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';

export class PrismaDigestDeliveryStore implements DigestDeliveryStore {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(teamId: string, periodKey: string, personId: string, at: Date): Promise<boolean> {
    // createMany + skipDuplicates is INSERT … ON CONFLICT DO NOTHING: no error, no race.
    const { count } = await this.prisma.digestDelivery.createMany({ data: [{ teamId, periodKey, personId, claimedAt: at }], skipDuplicates: true });
    return count === 1;
  }

  async release(teamId: string, periodKey: string, personId: string): Promise<void> {
    await this.prisma.digestDelivery.deleteMany({ where: { teamId, periodKey, personId } });
  }

  async isClaimed(teamId: string, periodKey: string, personId: string): Promise<boolean> {
    return (await this.prisma.digestDelivery.count({ where: { teamId, periodKey, personId } })) > 0;
  }
}
