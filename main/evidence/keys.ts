// Signing keys for evidence bundles: ed25519 through node:crypto. The CLI keeps its key in a file under
// ${XDG_CONFIG_HOME:-~/.config}/vigil/keys/ (private key 0600 in a 0700 folder); the desktop app will keep its key
// behind Electron's safeStorage with another KeyStore. A key's id is the lowercase hex SHA-256 of its public key's
// SubjectPublicKeyInfo DER, so anyone holding the public key PEM can recompute it with openssl.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface SigningKey {
  keyId: string;
  publicKeyPem: string;
  sign(data: Uint8Array): Uint8Array;
}

export interface KeyStore {
  /** Where the key lives, for messages ("key file ~/.config/vigil/keys/...", "OS keychain"). */
  describe(): string;
  /** The signing key, created on first use. */
  signingKey(): Promise<SigningKey>;
  /** The local public key when one exists (never creates one): verification trusts it. */
  localPublicKeyPem(): Promise<string | undefined>;
}

export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function verifyEd25519(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') return false;
  return verify(null, data, key, signature);
}

/** The signing key of an ed25519 private key object. */
export function signingKeyFromPrivateKey(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the key is ${privateKey.asymmetricKeyType}, not ed25519`);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (data) => new Uint8Array(sign(null, data, privateKey)),
  };
}

export function defaultKeyDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(config, 'vigil', 'keys');
}

const PRIVATE_KEY_FILE = 'evidence-signing.key.pem';
const PUBLIC_KEY_FILE = 'evidence-signing.pub.pem';

/** The CLI's key store: a PKCS#8 PEM private key file readable by its owner only, and its public key beside it. */
export class FileKeyStore implements KeyStore {
  constructor(readonly directory: string = defaultKeyDirectory()) {}

  get privateKeyPath(): string {
    return path.join(this.directory, PRIVATE_KEY_FILE);
  }

  get publicKeyPath(): string {
    return path.join(this.directory, PUBLIC_KEY_FILE);
  }

  describe(): string {
    return `key file ${this.privateKeyPath}`;
  }

  async signingKey(): Promise<SigningKey> {
    const existing = await this.readPrivateKey();
    if (existing) return signingKeyFromPrivateKey(existing);
    return this.create();
  }

  async localPublicKeyPem(): Promise<string | undefined> {
    const existing = await this.readPrivateKey();
    return existing ? signingKeyFromPrivateKey(existing).publicKeyPem : undefined;
  }

  private async readPrivateKey(): Promise<KeyObject | undefined> {
    let mode: number;
    try {
      mode = (await stat(this.privateKeyPath)).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (mode & 0o077) {
      throw new Error(`${this.privateKeyPath} can be read by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it — the key was not used`);
    }
    const pem = await readFile(this.privateKeyPath, 'utf8');
    try {
      return createPrivateKey(pem);
    } catch (error) {
      throw new Error(`${this.privateKeyPath} does not hold a readable private key (${(error as Error).message})`, { cause: error });
    }
  }

  private async create(): Promise<SigningKey> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await chmod(this.directory, 0o700);
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = signingKeyFromPrivateKey(privateKey);
    // Written under a temporary name and hard-linked into place: a crash never leaves a half-written key, and when
    // two exports race to create the first key, the loser uses the winner's key instead of replacing it.
    const temporary = `${this.privateKeyPath}.${process.pid}.tmp`;
    await writeFile(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' });
    try {
      await link(temporary, this.privateKeyPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return this.signingKey();
    } finally {
      await unlink(temporary);
    }
    await writeFile(this.publicKeyPath, key.publicKeyPem, { mode: 0o644 });
    return key;
  }
}
