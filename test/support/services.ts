/**
 * Which real services the integration suites can use on this machine.
 * Suites that need one call `describeWith(...)`: when the service is
 * missing they are skipped with the reason in their title, never silently.
 */
import type { Availability } from './service-probes.mjs';

export {
  CHROMIUM_PATH,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  chromiumAvailability,
  postgresAvailability,
  redisAvailability,
  type Availability,
} from './service-probes.mjs';

/** `describe` when the service is available, else `describe.skip` with the reason in the title. */
export function describeWith(service: string, availability: Availability): (name: string, fn: () => void) => void {
  return (name, fn) =>
    availability.ok ? describe(`${name} [${service}]`, fn) : describe.skip(`${name} [skipped: ${service} — ${availability.reason}]`, fn);
}
