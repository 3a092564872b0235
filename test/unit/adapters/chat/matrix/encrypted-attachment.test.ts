/**
 * Encrypted attachments as a receiving client sees them: the event's
 * `file` (key as JWK, IV, SHA-256 of the ciphertext, v2) decrypts the
 * uploaded bytes with the spec's algorithm, and any tampering is detected.
 */
import { encryptAttachment } from '../../../../../src/adapters/chat/matrix/encrypted-attachment.js';
import { decryptAttachment } from '../../../../fakes/matrix/attachments.js';

describe('encryptAttachment', () => {
  const plain = Buffer.from('submission_id,tache\r\ns-1,Saisie des notes\r\n', 'utf8');

  it('produces a ciphertext that a client decrypts back to the bytes, with a fresh key and IV each time', () => {
    const { ciphertext, file } = encryptAttachment(plain);
    expect(ciphertext.equals(plain)).toBe(false);
    expect(ciphertext.length).toBe(plain.length);
    expect(file).toMatchObject({ v: 'v2', key: { kty: 'oct', alg: 'A256CTR', ext: true, key_ops: ['encrypt', 'decrypt'] } });
    // Spec: unpadded base64 for the IV and hash, a zero 64-bit counter in the IV's second half.
    expect(file.iv).not.toContain('=');
    expect(file.hashes.sha256).not.toContain('=');
    expect(Buffer.from(file.iv, 'base64').subarray(8).equals(Buffer.alloc(8))).toBe(true);
    expect(decryptAttachment(ciphertext, { ...file, url: 'mxc://s/x' }).equals(plain)).toBe(true);

    const again = encryptAttachment(plain);
    expect(again.file.key.k).not.toBe(file.key.k);
    expect(again.file.iv).not.toBe(file.iv);
  });

  it('a changed ciphertext fails the hash check', () => {
    const { ciphertext, file } = encryptAttachment(plain);
    ciphertext[0] = ciphertext[0]! ^ 1;
    expect(() => decryptAttachment(ciphertext, { ...file, url: 'mxc://s/x' })).toThrow('sha256');
  });
});
