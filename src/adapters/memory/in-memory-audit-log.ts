import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditLog, AuditQuery } from '../../core/ports/repositories.js';

const DEFAULT_LIMIT = 100;

export class InMemoryAuditLog implements AuditLog {
  private readonly events: AuditEvent[] = [];

  async record(event: Omit<AuditEvent, 'id' | 'occurredAt'> & { occurredAt?: Date }): Promise<AuditEvent> {
    const stored: AuditEvent = { ...event, details: { ...event.details }, id: randomUUID(), occurredAt: event.occurredAt ?? new Date() };
    this.events.push(stored);
    return { ...stored };
  }

  async list(query: AuditQuery = {}): Promise<AuditEvent[]> {
    return [...this.events]
      .reverse()
      .filter((e) => !query.since || e.occurredAt.getTime() >= query.since.getTime())
      .filter((e) => !query.action || e.action === query.action)
      .filter((e) => !query.actorId || e.actorId === query.actorId)
      .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())
      .slice(0, query.limit ?? DEFAULT_LIMIT)
      .map((e) => structuredClone(e));
  }
}
