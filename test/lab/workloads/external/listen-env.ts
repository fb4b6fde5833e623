// How every lab server program learns where to listen and which certificate to serve: environment variables,
// so the same program runs inside a lab network namespace (fixed IP and port) or on loopback (ephemeral port).
import { appendFileSync, readFileSync } from 'node:fs';

export interface ListenConfig {
  host: string;
  port: number;
  /** PEM key and certificate when the server speaks TLS. */
  tls?: { key: Buffer; cert: Buffer };
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`missing environment variable ${name}\n`);
    process.exit(2);
  }
  return value;
}

export function listenConfig(defaultPort: number, withTls: boolean): ListenConfig {
  const host = process.env.LISTEN_HOST ?? '127.0.0.1';
  const port = Number(process.env.LISTEN_PORT ?? defaultPort);
  if (!withTls) return { host, port };
  return { host, port, tls: { key: readFileSync(requiredEnv('TLS_KEY_FILE')), cert: readFileSync(requiredEnv('TLS_CERT_FILE')) } };
}

/** Appends one JSON line to the file named by RECORD_FILE (when set): what tests and scenarios check afterwards. */
export function record(entry: Record<string, unknown>): void {
  const file = process.env.RECORD_FILE;
  if (file) appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
}

/** Prints the ready line the launcher waits for, with the address actually bound. */
export function announceReady(name: string, address: unknown): void {
  const port = typeof address === 'object' && address && 'port' in address ? (address as { port: number }).port : 0;
  process.stdout.write(`${JSON.stringify({ ready: name, port })}\n`);
}
