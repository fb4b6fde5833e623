// A private kube-apiserver + etcd for the kube-inventory benchmark, from the same binaries the lab builds
// (${VIGIL_CACHE:-~/.cache/vigil}/controlplane/), on their own ports and in a temporary directory: creating and
// listing 20,000 pods takes minutes, and the shared lab is restarted by other test runs meanwhile.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface BenchApiServer {
  kubeconfig: string;
  context: string;
  stop(): void;
}

function controlPlaneBinaries(): { etcd: string; apiserver: string } | null {
  const root = path.join(process.env.VIGIL_CACHE ?? path.join(os.homedir(), '.cache', 'vigil'), 'controlplane');
  if (!existsSync(root)) return null;
  for (const version of readdirSync(root).sort().reverse()) {
    const etcd = path.join(root, version, 'etcd');
    const apiserver = path.join(root, version, 'kube-apiserver');
    if (existsSync(etcd) && existsSync(apiserver)) return { etcd, apiserver };
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, token: string, processes: ChildProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processes.some((p) => p.exitCode !== null)) throw new Error('the benchmark control plane exited during start-up');
    const probe = spawnSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Authorization: Bearer ${token}`, `${url}/readyz`], { encoding: 'utf8' });
    if (probe.stdout === '200') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`kube-apiserver at ${url} was not ready within ${timeoutMs / 1000} s`);
}

/** Starts etcd and kube-apiserver; null when the lab's control-plane binaries were never built here. */
export async function startBenchApiServer(): Promise<BenchApiServer | null> {
  const binaries = controlPlaneBinaries();
  if (!binaries) return null;
  const dir = path.join(os.tmpdir(), `vigil-kube-bench-${process.pid}`);
  mkdirSync(path.join(dir, 'certs'), { recursive: true });
  const token = `bench-${process.pid}-${Date.now()}`;
  writeFileSync(path.join(dir, 'tokens.csv'), `${token},bench-admin,1,"system:masters"\n`);
  const keys = spawnSync('openssl', ['genrsa', '-out', path.join(dir, 'sa.key'), '2048'], { encoding: 'utf8' });
  if (keys.status !== 0) throw new Error(`openssl genrsa failed: ${keys.stderr}`);
  spawnSync('openssl', ['rsa', '-in', path.join(dir, 'sa.key'), '-pubout', '-out', path.join(dir, 'sa.pub')]);
  const [client, peer, secure] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${client}`;
  const log = (name: string) => ({ stdio: ['ignore', 'ignore', 'ignore'] as ('ignore')[], name });
  const etcd = spawn(binaries.etcd, [
    '--name=bench', `--data-dir=${path.join(dir, 'etcd')}`, `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=bench=http://127.0.0.1:${peer}`, '--unsafe-no-fsync', '--log-level=error',
  ], log('etcd'));
  const apiserver = spawn(binaries.apiserver, [
    `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', `--secure-port=${secure}`, `--cert-dir=${path.join(dir, 'certs')}`,
    '--service-cluster-ip-range=10.97.0.0/24', '--authorization-mode=RBAC', `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
    '--service-account-issuer=https://bench.invalid', `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`, '--profiling=false',
  ], log('kube-apiserver'));
  const processes = [etcd, apiserver];
  const stop = () => {
    for (const p of processes) if (p.exitCode === null) p.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `https://127.0.0.1:${secure}`;
  try {
    await waitReady(url, token, processes, 120_000);
  } catch (error) {
    stop();
    throw error;
  }
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `clusters:\n- name: bench\n  cluster: { server: '${url}', insecure-skip-tls-verify: true }\nusers:\n- name: bench-admin\n  user: { token: '${token}' }\ncontexts:\n- name: bench\n  context: { cluster: bench, user: bench-admin }\ncurrent-context: bench\n`,
  );
  return { kubeconfig, context: 'bench', stop };
}
