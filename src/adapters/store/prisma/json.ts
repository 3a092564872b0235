import { Prisma } from '../../../generated/prisma/client.js';

/** Any JSON-serialisable value as Prisma input; null becomes a JSON null, not SQL NULL. */
export function toJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  return value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
}
