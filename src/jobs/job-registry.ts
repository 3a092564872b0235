/**
 * Job definitions known to a scheduler, and how one stored run is executed:
 * parse the data, call the handler, decide between retry and failure.
 */
import { describeError, isTransient, ValidationError } from '../core/errors.js';
import type { JobContext, JobDefinition } from '../core/ports/scheduler.js';

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;

export class JobRegistry {
  private readonly definitions = new Map<string, JobDefinition>();

  register<T>(definition: JobDefinition<T>): void {
    if (this.definitions.has(definition.name)) throw new Error(`job "${definition.name}" registered twice`);
    this.definitions.set(definition.name, definition as JobDefinition);
  }

  get(name: string): JobDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw new ValidationError('scheduler.unknown_job', `no job named "${name}" is registered`);
    return definition;
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  attemptsOf(name: string): number {
    return this.get(name).attempts ?? DEFAULT_ATTEMPTS;
  }

  backoffOf(name: string): number {
    return this.get(name).backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  /** Runs one try; throws what the handler (or the data parser) threw. */
  async execute(name: string, data: unknown, context: JobContext): Promise<void> {
    const definition = this.get(name);
    await definition.handle(definition.parse(data), context);
  }
}

/** Delay before try number `attempt + 1`, doubling each time. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}

/** Whether a failed try should be retried. */
export function shouldRetry(error: unknown, attemptsMade: number, maxAttempts: number): boolean {
  return isTransient(error) && attemptsMade < maxAttempts;
}

export function errorSummary(error: unknown): string {
  const { code, message } = describeError(error);
  return `${code}: ${message}`.slice(0, 1000);
}
