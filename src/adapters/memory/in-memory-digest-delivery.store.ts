import type { DigestDeliveryStore } from '../../core/ports/digest-delivery-store.js';

/** Lost at restart: local mode and tests only. */
export class InMemoryDigestDeliveryStore implements DigestDeliveryStore {
  private readonly claims = new Set<string>();

  private key(teamId: string, periodKey: string, personId: string): string {
    return JSON.stringify([teamId, periodKey, personId]);
  }

  async claim(teamId: string, periodKey: string, personId: string): Promise<boolean> {
    const key = this.key(teamId, periodKey, personId);
    if (this.claims.has(key)) return false;
    this.claims.add(key);
    return true;
  }

  async release(teamId: string, periodKey: string, personId: string): Promise<void> {
    this.claims.delete(this.key(teamId, periodKey, personId));
  }

  async isClaimed(teamId: string, periodKey: string, personId: string): Promise<boolean> {
    return this.claims.has(this.key(teamId, periodKey, personId));
  }
}
