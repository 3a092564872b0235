/**
 * Claimed deliveries of the coordinators' digest: one record per team,
 * digest period (week key) and coordinator, inserted atomically so that a
 * retried or re-fired weekly job never sends the same digest twice, even
 * from two instances. No message content.
 */
export interface DigestDeliveryStore {
  /** Inserts the record unless it exists: true for the first caller only. */
  claim(teamId: string, periodKey: string, personId: string, at: Date): Promise<boolean>;
  /** Removes the record (a failed delivery), so the next try sends it. */
  release(teamId: string, periodKey: string, personId: string): Promise<void>;
  /** Whether the record exists. */
  isClaimed(teamId: string, periodKey: string, personId: string): Promise<boolean>;
}
