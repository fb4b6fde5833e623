// The sealed store with a stand-in for Electron's safeStorage (a reversible transform that fails loudly on bytes
// it did not produce): the key is never on disk in the clear, is the same key on every use, and is refused when the
// OS offers no real encryption.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEd25519 } from './keys.js';
import { SealedKeyStore, SealedKeyStoreError, type SafeStorageLike } from './sealed-key-store.js';

const MAGIC = Buffer.from('SEALED1:');
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (text) => Buffer.concat([MAGIC, Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)]),
    decryptString: (sealed) => {
      if (!sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not sealed by this keychain');
      return Buffer.from(sealed.subarray(MAGIC.length).map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-sealed-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('sealed key store', () => {
  it('keeps the private key sealed at rest and returns the same key every time', async () => {
    const store = new SealedKeyStore(fakeSafeStorage(), path.join(work, 'a'));
    expect(await store.localPublicKeyPem()).toBeUndefined();
    const key = await store.signingKey();
    const onDisk = await readFile(store.sealedKeyPath);
    expect(onDisk.toString('latin1')).not.toContain('PRIVATE KEY');
    expect((await stat(store.sealedKeyPath)).mode & 0o777).toBe(0o600);
    const again = await new SealedKeyStore(fakeSafeStorage(), path.join(work, 'a')).signingKey();
    expect(again.keyId).toBe(key.keyId);
    expect(await store.localPublicKeyPem()).toBe(key.publicKeyPem);
    const data = new TextEncoder().encode('statement');
    expect(verifyEd25519(key.publicKeyPem, data, again.sign(data))).toBe(true);
  });

  it('refuses to create or use a key without real OS encryption', async () => {
    await expect(new SealedKeyStore(fakeSafeStorage({ available: false }), path.join(work, 'b')).signingKey()).rejects.toThrow(SealedKeyStoreError);
    await expect(new SealedKeyStore(fakeSafeStorage({ backend: 'basic_text' }), path.join(work, 'c')).signingKey()).rejects.toThrow(/no OS keyring/);
  });

  it('reports a key another keychain sealed, without using it', async () => {
    const store = new SealedKeyStore(fakeSafeStorage(), path.join(work, 'd'));
    await store.signingKey();
    const foreign: SafeStorageLike = { ...fakeSafeStorage(), decryptString: () => { throw new Error('wrong keychain'); } };
    await expect(new SealedKeyStore(foreign, path.join(work, 'd')).signingKey()).rejects.toThrow(/could not unseal .* the key was not used/);
  });
});
