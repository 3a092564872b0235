/**
 * PGlite is one process per data directory: a second process opening the
 * same files would corrupt them. This lock file holds the owner's pid; a
 * lock left by a dead process (kill -9) is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RelaisError } from '../../../core/errors.js';

export interface DataDirLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readLockOwner(directory: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(join(directory, 'relais.lock'), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

export async function acquireDataDirLock(directory: string): Promise<DataDirLock> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, 'relais.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await readLockOwner(directory);
      if (owner !== null && owner !== process.pid) {
        throw new RelaisError(
          'db.embedded_in_use',
          `the embedded database in ${directory} is used by another Relais process (pid ${owner}); stop it first, or use PostgreSQL (DATABASE_URL) for several processes`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new RelaisError('db.embedded_in_use', `could not lock ${directory}`);
}
