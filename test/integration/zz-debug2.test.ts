import { jest } from '@jest/globals';
import { openMigratedDatabase } from '../support/databases.js';
jest.setTimeout(60_000);
it('concurrent parameterised statements on embedded PGlite', async () => {
  const db = await openMigratedDatabase('pglite');
  try {
    const big = Array.from({ length: 40 }, (_, i) => `chunk-${i}-${'x'.repeat(20000)}`);
    let stop = false;
    const errors: string[] = [];
    const small = (async () => {
      let i = 0;
      while (!stop) {
        i++;
        try {
          const rows = await db.database.sql.query<{ n: string }>('SELECT ($1::bigint + 1)::text AS n', [i]);
          if (rows[0]!.n !== String(i + 1)) errors.push(`small wrong ${JSON.stringify(rows).slice(0, 80)}`);
        } catch (e) { errors.push(`small: ${(e as Error).message.slice(0, 100)}`); }
      }
    })();
    const t0 = Date.now();
    for (let k = 0; k < 5; k++) {
      try {
        const rows = await db.database.sql.query<{ n: number }>('SELECT array_length($1::text[], 1)::int AS n', [big]);
        if (rows[0]!.n !== 40) errors.push(`big wrong ${JSON.stringify(rows).slice(0, 80)}`);
      } catch (e) { errors.push(`big: ${(e as Error).message.slice(0, 100)}`); }
    }
    stop = true;
    await small;
    console.log(Date.now() - t0, errors.length, errors.slice(0, 5));
  } finally {
    await db.cleanup();
  }
});
