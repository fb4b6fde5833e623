// The desktop app's key store: the same ed25519 key as the CLI's, but kept encrypted at rest by the OS keychain
// through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux). Only
// main/electron may import 'electron', so the app passes its safeStorage in; this module only needs its shape.
// When the OS offers no real encryption (safeStorage reports unavailable, or Linux falls back to 'basic_text'),
// the store refuses rather than silently keep the private key in the clear.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { signingKeyFromPrivateKey, type KeyStore, type SigningKey } from './keys.js';

/** The part of Electron's `safeStorage` this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export class SealedKeyStoreError extends Error {
  override name = 'SealedKeyStoreError';
}

const SEALED_KEY_FILE = 'evidence-signing.key.sealed';
const PUBLIC_KEY_FILE = 'evidence-signing.pub.pem';

export class SealedKeyStore implements KeyStore {
  constructor(
    private readonly safeStorage: SafeStorageLike,
    /** A folder under the app's userData, e.g. app.getPath('userData')/keys. */
    readonly directory: string,
  ) {}

  get sealedKeyPath(): string {
    return path.join(this.directory, SEALED_KEY_FILE);
  }

  get publicKeyPath(): string {
    return path.join(this.directory, PUBLIC_KEY_FILE);
  }

  describe(): string {
    return `OS keychain (sealed key ${this.sealedKeyPath})`;
  }

  private requireEncryption(): void {
    if (!this.safeStorage.isEncryptionAvailable()) throw new SealedKeyStoreError('the OS keychain is not available, so the signing key cannot be protected; use the CLI key file instead');
    if (this.safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new SealedKeyStoreError('no OS keyring is running (safeStorage would only obfuscate the key); start a keyring (gnome-keyring, kwallet) or use the CLI key file');
    }
  }

  private async unseal(): Promise<SigningKey | undefined> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.sealedKeyPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    this.requireEncryption();
    let pem: string;
    try {
      pem = this.safeStorage.decryptString(sealed);
    } catch (error) {
      throw new SealedKeyStoreError(`the OS keychain could not unseal ${this.sealedKeyPath} (${(error as Error).message}); the key was not used`, { cause: error });
    }
    return signingKeyFromPrivateKey(createPrivateKey(pem));
  }

  async signingKey(): Promise<SigningKey> {
    const existing = await this.unseal();
    if (existing) return existing;
    this.requireEncryption();
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await chmod(this.directory, 0o700);
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = signingKeyFromPrivateKey(privateKey);
    const temporary = `${this.sealedKeyPath}.${process.pid}.tmp`;
    await writeFile(temporary, this.safeStorage.encryptString(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), { mode: 0o600, flag: 'wx' });
    try {
      await link(temporary, this.sealedKeyPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return this.signingKey();
    } finally {
      await unlink(temporary);
    }
    await writeFile(this.publicKeyPath, key.publicKeyPem, { mode: 0o644 });
    return key;
  }

  /** Derived from the sealed private key, never read from the plain public key file, which anyone could replace. */
  async localPublicKeyPem(): Promise<string | undefined> {
    return (await this.unseal())?.publicKeyPem;
  }
}
