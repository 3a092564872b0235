/**
 * Durable adapter state in the `platform_state` table (PGlite or a
 * PostgreSQL server): survives restarts and Redis, shared by every instance.
 */
import type { PlatformStateStore } from '../../../core/ports/platform-state.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

export class PrismaPlatformStateStore implements PlatformStateStore {
  constructor(private readonly prisma: PrismaClient) {}

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const row = await this.prisma.platformState.findUnique({ where: { namespace_key: { namespace, key } }, select: { value: true } });
    return row ? (row.value as T) : undefined;
  }

  async set(namespace: string, key: string, value: unknown): Promise<void> {
    // JSON round trip: stores exactly what the in-memory twin would (Dates become strings, undefined fields vanish).
    const json = toJson(value === undefined ? null : JSON.parse(JSON.stringify(value)));
    await this.prisma.platformState.upsert({
      where: { namespace_key: { namespace, key } },
      create: { namespace, key, value: json },
      update: { value: json, updatedAt: new Date() },
    });
  }

  async delete(namespace: string, key: string): Promise<void> {
    await this.prisma.platformState.deleteMany({ where: { namespace, key } });
  }

  async list<T = unknown>(namespace: string): Promise<{ key: string; value: T }[]> {
    const rows = await this.prisma.platformState.findMany({ where: { namespace }, orderBy: { key: 'asc' }, select: { key: true, value: true } });
    return rows.map((row) => ({ key: row.key, value: row.value as T }));
  }
}
