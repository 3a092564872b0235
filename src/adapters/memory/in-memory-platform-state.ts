import type { PlatformStateStore } from '../../core/ports/platform-state.js';

/** Lost at restart: local mode and unit tests only. */
export class InMemoryPlatformStateStore implements PlatformStateStore {
  private readonly values = new Map<string, Map<string, string>>();

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const raw = this.values.get(namespace)?.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set(namespace: string, key: string, value: unknown): Promise<void> {
    let space = this.values.get(namespace);
    if (!space) this.values.set(namespace, (space = new Map()));
    // Stored as JSON so callers never share (and mutate) the stored object;
    // undefined has no JSON form and is kept as null, like the database does.
    space.set(key, JSON.stringify(value ?? null));
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.values.get(namespace)?.delete(key);
  }

  async list<T>(namespace: string): Promise<{ key: string; value: T }[]> {
    return [...(this.values.get(namespace) ?? [])].map(([key, raw]) => ({ key, value: JSON.parse(raw) as T }));
  }
}
