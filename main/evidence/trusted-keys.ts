// Which keys a verifier trusts: the local signing key (when one exists) and those named with --trust, each given as
// a public key PEM file or as a key id (64 hex digits, optionally prefixed "sha256:").
import { readFile } from 'node:fs/promises';
import { keyIdOf, type KeyStore } from './keys.js';

export interface TrustedKeys {
  keyIds: Set<string>;
  /** Public keys by key id, for bundles that do not carry their signer's public key. */
  publicKeys: Map<string, string>;
}

export class TrustError extends Error {
  override name = 'TrustError';
}

export async function resolveTrustedKeys(trust: readonly string[], keyStore: KeyStore | undefined): Promise<TrustedKeys> {
  const trusted: TrustedKeys = { keyIds: new Set(), publicKeys: new Map() };
  const local = await keyStore?.localPublicKeyPem();
  if (local) {
    const id = keyIdOf(local);
    trusted.keyIds.add(id);
    trusted.publicKeys.set(id, local);
  }
  for (const item of trust) {
    const asId = item.replace(/^sha256:/, '').toLowerCase();
    if (/^[0-9a-f]{64}$/.test(asId)) {
      trusted.keyIds.add(asId);
      continue;
    }
    let pem: string;
    try {
      pem = await readFile(item, 'utf8');
    } catch (error) {
      throw new TrustError(`--trust ${item}: not a key id (64 hex digits) and not a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let id: string;
    try {
      id = keyIdOf(pem);
    } catch (error) {
      throw new TrustError(`--trust ${item}: the file does not hold a public key in PEM form (${(error as Error).message})`);
    }
    trusted.keyIds.add(id);
    trusted.publicKeys.set(id, pem);
  }
  return trusted;
}
