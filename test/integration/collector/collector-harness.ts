// Starts the real collector binary (root) with a throwaway certificate, token and state directory, for tests
// that check the TypeScript client and the CLI against it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollectorClient } from '../../../main/collector/collector-client.js';
import { targetFromFiles } from '../../../main/collector/collector-target.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// VIGIL_COLLECTOR_BINARY: another build (a benchmark comparing two builds of the collector).
export const collectorBinary = process.env.VIGIL_COLLECTOR_BINARY ?? path.join(repoRoot, 'native-bpf-collector/bin/vigil-collector');

/** Why these tests cannot run here, or null. */
export function missingPrerequisite(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (BPF)';
  if (!existsSync(collectorBinary)) return `no collector binary at ${collectorBinary} (run scripts/install/collector.sh)`;
  if (!existsSync('/sys/kernel/btf/vmlinux')) return 'the kernel has no BTF';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export class RunningCollector {
  private child: ChildProcess | null = null;
  log = '';
  constructor(
    readonly url: string,
    readonly tokenFile: string,
    readonly caFile: string,
    private readonly args: string[],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  client(): CollectorClient {
    return new CollectorClient(targetFromFiles(this.url, this.tokenFile, this.caFile));
  }

  async start(): Promise<void> {
    this.child = spawn(collectorBinary, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d) => (this.log += d));
    this.child.stderr?.on('data', (d) => (this.log += d));
    const deadline = Date.now() + 30_000;
    const client = this.client();
    try {
      while (Date.now() < deadline) {
        try {
          await client.health();
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 150));
        }
      }
    } finally {
      client.close();
    }
    throw new Error(`the collector did not become healthy:\n${this.log}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}

export async function startCollector(extra: string[] = []): Promise<RunningCollector> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-collector-it-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  const port = await freePort();
  const collector = new RunningCollector(`https://127.0.0.1:${port}`, tokenFile, cert, [
    '--listen', `127.0.0.1:${port}`, '--token-file', tokenFile, '--tls-cert', cert, '--tls-key', key, '--no-kube',
    '--node-name', 'it-node', '--state-dir', path.join(dir, 'state'), '--bpffs-dir', '/sys/fs/bpf/vigil-it', ...extra,
  ]);
  await collector.start();
  return collector;
}
