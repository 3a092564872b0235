import { ValidationError } from '../../core/errors.js';
import type { RateRule } from './rate-limiter.js';

/** A rule allowing no send, or over no time, would make a caller wait forever: refuse it. */
export function validateRules(rules: readonly RateRule[]): void {
  for (const rule of rules) {
    if (!(Number.isInteger(rule.limit) && rule.limit > 0 && Number.isFinite(rule.windowMs) && rule.windowMs > 0)) {
      throw new ValidationError('rate_limit.invalid_rule', `invalid rate rule: ${rule.limit} per ${rule.windowMs} ms`);
    }
  }
}
