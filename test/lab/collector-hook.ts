// Starts Vigil's eBPF collector against the lab when its binary has been built (native-bpf-collector/bin/
// vigil-collector): root, root network namespace, TLS with a certificate from the lab CA, a bearer token.
// It is started before the workloads so it sees them from their first exec.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { daemonLogTail, runningDaemonPid, startDaemon, stopDaemon } from './host/daemons.js';
import { ensureCgroup } from './host/cgroups.js';
import { issueServingCert, type LabPki } from './controlplane/pki.js';
import { repoRoot } from './repo-paths.js';
import type { LabCollectorState } from './lab-state.js';

export const COLLECTOR_PORT = 17443;
const DAEMON = 'vigil-collector';

export function collectorBinary(): string {
  return path.join(repoRoot(), 'native-bpf-collector/bin/vigil-collector');
}

export type CollectorOutcome = { collector: LabCollectorState; error?: undefined } | { collector: null; error?: string };

export async function ensureCollector(opts: {
  stateDir: string; pki: LabPki; adminKubeconfig: string; cgroupDir: string; log: (m: string) => void;
}): Promise<CollectorOutcome> {
  const binary = collectorBinary();
  if (!existsSync(binary)) return { collector: null };
  const tokenFile = path.join(opts.stateDir, 'collector.token');
  if (!existsSync(tokenFile)) writeFileSync(tokenFile, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  const token = readFileSync(tokenFile, 'utf8').trim();
  const tls = issueServingCert(opts.pki, 'collector', 'vigil-collector', ['127.0.0.1', 'localhost']);
  const url = `https://127.0.0.1:${COLLECTOR_PORT}`;
  let pid = runningDaemonPid(opts.stateDir, DAEMON, binary);
  if (pid === null) {
    ensureCgroup(opts.cgroupDir);
    const collectorState = path.join(opts.stateDir, 'collector');
    mkdirSync(collectorState, { recursive: true });
    opts.log(`starting the collector (${binary}) on ${url}`);
    pid = startDaemon({
      name: DAEMON, command: binary, cgroupDir: opts.cgroupDir, stateDir: opts.stateDir,
      args: [
        '--listen', `127.0.0.1:${COLLECTOR_PORT}`, '--token-file', tokenFile,
        '--tls-cert', tls.cert, '--tls-key', tls.key,
        '--kubeconfig', opts.adminKubeconfig, '--node-name', 'lab-node-1', '--state-dir', collectorState,
      ],
    });
  }
  const deadline = Date.now() + 30_000;
  let lastError = '';
  while (Date.now() < deadline) {
    const result = await healthz(url, token, opts.pki.caCert);
    if (result === 200) return { collector: { url, tokenFile, caFile: opts.pki.caCert, pid } };
    lastError = String(result);
    if (runningDaemonPid(opts.stateDir, DAEMON, binary) === null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopDaemon(opts.stateDir, DAEMON, binary);
  return {
    collector: null,
    error: `the collector did not answer GET ${url}/healthz with 200 (last: ${lastError}); it was stopped. Its log:\n${daemonLogTail(opts.stateDir, DAEMON)}`,
  };
}

export async function stopCollector(stateDir: string): Promise<void> {
  await stopDaemon(stateDir, DAEMON, collectorBinary());
}

function healthz(url: string, token: string, caFile: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = https.get(`${url}/healthz`, { ca: readFileSync(caFile), headers: { authorization: `Bearer ${token}` }, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve(e.message));
  });
}
