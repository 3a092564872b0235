/**
 * Small durable state a chat adapter keeps between restarts and shares
 * between instances: Matrix sync token, Teams conversation references
 * captured at install, cached Slack DM channel ids. Values are JSON and
 * hold no message content, with one bounded exception: a file Teams offers
 * through its consent card waits here (at most 24 h, deleted once taken)
 * until the person accepts it.
 */
export interface PlatformStateStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  /** Every key of a namespace with its value (small namespaces only). */
  list<T = unknown>(namespace: string): Promise<{ key: string; value: T }[]>;
}
