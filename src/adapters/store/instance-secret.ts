/**
 * The instance secret keys pseudonyms and sealed ids. From RELAIS_SECRET
 * when set (several instances must share it); otherwise generated once into
 * `<dataDir>/secret.key` (mode 0600). Both hold the secret as text and are
 * used the same way, so the content of secret.key can later be moved into
 * RELAIS_SECRET (e.g. when adding instances) without changing a pseudonym.
 * Losing it makes existing pseudonyms unlinkable to new messages: back it up
 * with the database.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RelaisError } from '../../core/errors.js';

const SECRET_FILE = 'secret.key';

export async function loadInstanceSecret(dataDir: string, fromEnv?: string): Promise<Buffer> {
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const path = join(dataDir, SECRET_FILE);
  try {
    const stored = Buffer.from((await readFile(path, 'utf8')).trim(), 'utf8');
    if (stored.length < 32) throw new RelaisError('privacy.bad_secret_file', `${path} is damaged (too short); restore it from a backup`);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 }); // keys, database and socket: owner only
  const secret = randomBytes(48).toString('base64');
  // Write then rename: a crash never leaves a half-written key.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, secret, { mode: 0o600 });
  await rename(temporary, path);
  return Buffer.from(secret, 'utf8');
}
