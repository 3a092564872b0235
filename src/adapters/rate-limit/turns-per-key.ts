/**
 * Runs tasks one at a time per key, in arrival order: the callers waiting
 * for room under one rate-limit key are served first come, first served,
 * and only the first of them polls the limiter's state.
 */
export class TurnsPerKey {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const turn = previous.then(task);
    const tail = turn.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return turn;
  }
}
