/** Source of unique ids (UUID v4 by default), injected for deterministic tests. */
export interface IdGenerator {
  next(): string;
}
