// The bearer token and CA for a discovered collector: from the Secret its pods mount (keys `token`, `tls.crt` and,
// when a CA issued the certificate, `ca.crt` as cert-manager writes it), read with the user's own rights — or from
// files the user gives. Credentials stay in main; the renderer never sees them.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KubeClient } from '../kube/kube-client.js';
import { isKubeApiError } from '../kube/kube-errors.js';

export interface CollectorCredentials {
  token: string;
  /** PEM trusted for the collector's serving certificate. */
  ca: string;
  /** The serving certificate itself, when known (to check which names it covers before connecting). */
  certificate?: string;
  /** Where they came from, for messages: "Secret vigil-system/vigil-collector-api" or the file names. */
  source: string;
}

export class CollectorCredentialsError extends Error {
  override name = 'CollectorCredentialsError';
}

function decoded(data: Record<string, string> | undefined, key: string): string | undefined {
  const value = data?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8').trim();
}

export async function credentialsFromSecret(client: KubeClient, namespace: string, name: string): Promise<CollectorCredentials> {
  const where = `Secret ${namespace}/${name}`;
  let secret: { data?: Record<string, string> };
  try {
    secret = await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`);
  } catch (error) {
    if (isKubeApiError(error, 403)) {
      throw new CollectorCredentialsError(`${client.contextName} may not read ${where}, which holds the collector's token: give --token-file and --ca-file instead`);
    }
    if (isKubeApiError(error, 404)) throw new CollectorCredentialsError(`${where} (the collector's token and certificate) does not exist`);
    throw error;
  }
  const token = decoded(secret.data, 'token');
  const certificate = decoded(secret.data, 'tls.crt');
  const ca = decoded(secret.data, 'ca.crt') || certificate;
  if (!token) throw new CollectorCredentialsError(`${where} has no 'token' key`);
  if (!ca) throw new CollectorCredentialsError(`${where} has neither 'ca.crt' nor 'tls.crt'`);
  return { token, ca, ...(certificate ? { certificate } : {}), source: where };
}

function readTrimmed(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new CollectorCredentialsError(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

export function credentialsFromFiles(tokenFile: string, caFile: string): CollectorCredentials {
  const token = readTrimmed(tokenFile, 'token file');
  if (token === '') throw new CollectorCredentialsError(`token file ${tokenFile} is empty`);
  return { token, ca: readTrimmed(caFile, 'CA file'), source: `${tokenFile} and ${caFile}` };
}

/**
 * Whether a serving certificate is valid for `host` (an IP or a DNS name). A port-forward ends on 127.0.0.1, so the
 * certificate must name it; saying so before connecting beats a bare "certificate mismatch" from TLS.
 */
export function certificateProblemFor(certificatePem: string, host: string): string | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    return `the collector's certificate cannot be read: ${(error as Error).message}`;
  }
  const isIp = /^[0-9.]+$/.test(host) || host.includes(':');
  const covered = isIp ? certificate.checkIP(host) !== undefined : certificate.checkHost(host) !== undefined;
  if (covered) return undefined;
  return `the collector's certificate is not valid for ${host} (it names ${certificate.subjectAltName ?? certificate.subject})`;
}
