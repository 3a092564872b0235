import { UnavailableError } from '../../core/errors.js';

/** Runs one Redis operation; a failure becomes a transient, coded error naming what was attempted. */
export async function onRedis<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    throw new UnavailableError('redis.unavailable', `Redis ${operation} failed: ${(cause as Error).message}`, { cause });
  }
}
