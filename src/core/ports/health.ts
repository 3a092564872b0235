/** A dependency whose state `/readyz` and `relais doctor` report. */
export interface HealthProbe {
  /** Short stable name, e.g. "database", "redis". */
  readonly name: string;
  /** Resolves with a short content-free detail when healthy; throws otherwise. */
  check(): Promise<string>;
}
