import { createHash, createPublicKey } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultKeyDirectory, FileKeyStore, keyIdOf, verifyEd25519 } from './keys.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-keys-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('file key store', () => {
  it('lives under XDG_CONFIG_HOME, or ~/.config', () => {
    expect(defaultKeyDirectory({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/vigil/keys');
    expect(defaultKeyDirectory({})).toBe(path.join(os.homedir(), '.config', 'vigil', 'keys'));
  });

  it('creates an ed25519 key once, owner-only, with the SPKI-DER SHA-256 as its id', async () => {
    const store = new FileKeyStore(path.join(work, 'a'));
    expect(await store.localPublicKeyPem()).toBeUndefined();
    const key = await store.signingKey();
    expect((await stat(store.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(store.directory)).mode & 0o777).toBe(0o700);
    const der = createPublicKey(await readFile(store.publicKeyPath, 'utf8')).export({ type: 'spki', format: 'der' });
    expect(key.keyId).toBe(createHash('sha256').update(der).digest('hex'));
    expect(keyIdOf(key.publicKeyPem)).toBe(key.keyId);
    expect((await store.signingKey()).keyId).toBe(key.keyId);
    const data = new TextEncoder().encode('payload');
    expect(verifyEd25519(key.publicKeyPem, data, key.sign(data))).toBe(true);
    expect(verifyEd25519(key.publicKeyPem, new TextEncoder().encode('other'), key.sign(data))).toBe(false);
  });

  it('refuses a private key that other users can read', async () => {
    const store = new FileKeyStore(path.join(work, 'b'));
    await store.signingKey();
    await chmod(store.privateKeyPath, 0o644);
    await expect(store.signingKey()).rejects.toThrow(/can be read by other users .* chmod 600/);
  });
});
