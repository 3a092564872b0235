import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditLog, AuditQuery } from '../../../core/ports/repositories.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

const DEFAULT_LIMIT = 100;

type AuditRow = {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: string;
  correlationId: string | null;
  details: unknown;
};

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    actorId: row.actorId,
    action: row.action,
    ...(row.subjectType !== null ? { subjectType: row.subjectType } : {}),
    ...(row.subjectId !== null ? { subjectId: row.subjectId } : {}),
    outcome: row.outcome as AuditEvent['outcome'],
    ...(row.correlationId !== null ? { correlationId: row.correlationId } : {}),
    details: (row.details ?? {}) as Record<string, unknown>,
  };
}

export class PrismaAuditLog implements AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(event: Omit<AuditEvent, 'id' | 'occurredAt'> & { occurredAt?: Date }): Promise<AuditEvent> {
    const row = await this.prisma.auditEvent.create({
      data: {
        id: randomUUID(),
        occurredAt: event.occurredAt ?? new Date(),
        actorId: event.actorId,
        action: event.action,
        subjectType: event.subjectType ?? null,
        subjectId: event.subjectId ?? null,
        outcome: event.outcome,
        correlationId: event.correlationId ?? null,
        details: toJson(event.details),
      },
    });
    return toEvent(row);
  }

  async list(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const rows = await this.prisma.auditEvent.findMany({
      where: {
        ...(query.since ? { occurredAt: { gte: query.since } } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.actorId ? { actorId: query.actorId } : {}),
      },
      orderBy: [{ occurredAt: 'desc' }, { seq: 'desc' }],
      take: query.limit ?? DEFAULT_LIMIT,
    });
    return rows.map(toEvent);
  }
}
