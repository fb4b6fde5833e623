// etcd and kube-apiserver started the way envtest starts them (loopback only, RBAC, token users, service-account
// signing keys), plus an audit log at Metadata level. Both run detached with pid files in the lab's state dir.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CLUSTER_DOMAIN, KUBERNETES_SERVICE_IP, POD_GATEWAY, SERVICE_CIDR } from '../topology.js';
import { daemonLogTail, runningDaemonPid, startDaemon, stopDaemon } from '../host/daemons.js';
import { ensureCgroup } from '../host/cgroups.js';
import { KubeClient } from '../cluster/kube-client.js';
import type { ControlPlaneBinaries } from './binaries.js';
import type { LabPki } from './pki.js';

export const ETCD_CLIENT_PORT = 23790;
export const ETCD_PEER_PORT = 23800;
export const APISERVER_PORT = 16443;

export const APISERVER_URL = `https://127.0.0.1:${APISERVER_PORT}`;
export const ETCD_URL = `http://127.0.0.1:${ETCD_CLIENT_PORT}`;

/** Every name and address a client may use to reach the apiserver: loopback, the kubernetes Service, the gateway. */
export const APISERVER_SANS = [
  '127.0.0.1', KUBERNETES_SERVICE_IP, POD_GATEWAY, 'localhost',
  'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${CLUSTER_DOMAIN}`,
];

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
# Who did what to which object, when: request metadata for every request (no bodies, so no secrets in the log).
omitStages: ["RequestReceived"]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version"]
  - level: Metadata
`;

export interface ControlPlane { etcdPid: number; apiserverPid: number; auditLog: string }

export async function ensureControlPlane(opts: {
  stateDir: string; binaries: ControlPlaneBinaries; pki: LabPki; tokenFile: string; adminToken: string; cgroupDir: string;
  log: (message: string) => void;
}): Promise<ControlPlane> {
  const { stateDir, binaries, pki } = opts;
  ensureCgroup(opts.cgroupDir);
  let etcdPid = runningDaemonPid(stateDir, 'etcd', binaries.etcd);
  if (etcdPid === null) {
    await assertPortFree(ETCD_CLIENT_PORT, 'etcd');
    opts.log(`starting etcd ${binaries.etcdVersion} on ${ETCD_URL}`);
    const dataDir = path.join(stateDir, 'etcd');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    etcdPid = startDaemon({
      name: 'etcd', command: binaries.etcd, cgroupDir: opts.cgroupDir, stateDir,
      args: [
        '--name=vigil-lab', `--data-dir=${dataDir}`,
        `--listen-client-urls=${ETCD_URL}`, `--advertise-client-urls=${ETCD_URL}`,
        `--listen-peer-urls=http://127.0.0.1:${ETCD_PEER_PORT}`, `--initial-advertise-peer-urls=http://127.0.0.1:${ETCD_PEER_PORT}`,
        `--initial-cluster=vigil-lab=http://127.0.0.1:${ETCD_PEER_PORT}`,
        // A lab on tmpfs: durability across power loss is not a goal, start-up speed is.
        '--unsafe-no-fsync', '--log-level=warn',
      ],
    });
  }
  await waitFor(async () => {
    assertStillRunning(stateDir, 'etcd', binaries.etcd);
    return (await httpGetStatus(`${ETCD_URL}/health`)) === 200;
  }, 60_000,
    () => `etcd did not become healthy on ${ETCD_URL}. Its log:\n${daemonLogTail(stateDir, 'etcd')}`);

  const auditDir = path.join(stateDir, 'audit');
  mkdirSync(auditDir, { recursive: true });
  const auditLog = path.join(auditDir, 'audit.log');
  const auditPolicy = path.join(auditDir, 'policy.yaml');
  if (!existsSync(auditPolicy)) writeFileSync(auditPolicy, AUDIT_POLICY);

  let apiserverPid = runningDaemonPid(stateDir, 'kube-apiserver', binaries.kubeApiserver);
  if (apiserverPid === null) {
    await assertPortFree(APISERVER_PORT, 'kube-apiserver');
    opts.log(`starting kube-apiserver ${binaries.kubernetesVersion} on ${APISERVER_URL}`);
    apiserverPid = startDaemon({
      name: 'kube-apiserver', command: binaries.kubeApiserver, cgroupDir: opts.cgroupDir, stateDir,
      args: [
        `--etcd-servers=${ETCD_URL}`,
        '--bind-address=127.0.0.1', `--secure-port=${APISERVER_PORT}`,
        // Pods reach the apiserver through the kubernetes Service (10.96.0.1:443), DNAT-ed to loopback by the lab.
        `--advertise-address=${POD_GATEWAY}`,
        `--cert-dir=${path.join(stateDir, 'apiserver-certs')}`,
        `--tls-cert-file=${pki.apiserverCert}`, `--tls-private-key-file=${pki.apiserverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--authorization-mode=RBAC',
        `--token-auth-file=${opts.tokenFile}`,
        `--service-account-issuer=https://kubernetes.default.svc.${CLUSTER_DOMAIN}`,
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--audit-log-path=${auditLog}`, `--audit-policy-file=${auditPolicy}`,
        // The state dir is on tmpfs (memory): cap the audit log at 3 x 50 MB.
        '--audit-log-maxsize=50', '--audit-log-maxbackup=2',
        '--allow-privileged=true',
        '--profiling=false',
        '--v=1',
      ],
    });
  }
  const admin = new KubeClient(APISERVER_URL, opts.adminToken, pki.caCert);
  try {
    await waitFor(async () => {
      assertStillRunning(stateDir, 'kube-apiserver', binaries.kubeApiserver);
      try {
        return (await admin.request('GET', '/readyz')).status === 200;
      } catch {
        return false;
      }
    }, 240_000, () => `kube-apiserver did not become ready on ${APISERVER_URL}. Its log:\n${daemonLogTail(stateDir, 'kube-apiserver')}`);
  } finally {
    admin.close();
  }
  return { etcdPid, apiserverPid, auditLog };
}

export async function stopControlPlane(stateDir: string, binaries: Pick<ControlPlaneBinaries, 'etcd' | 'kubeApiserver'>): Promise<void> {
  await stopDaemon(stateDir, 'kube-apiserver', binaries.kubeApiserver);
  await stopDaemon(stateDir, 'etcd', binaries.etcd);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, failure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A daemon that exited during start-up fails `lab up` at once, with its log, instead of after the timeout. */
function assertStillRunning(stateDir: string, name: string, executable: string): void {
  if (runningDaemonPid(stateDir, name, executable) === null) {
    throw new Error(`${name} exited during start-up. Its log:\n${daemonLogTail(stateDir, name)}`);
  }
}

async function httpGetStatus(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status;
  } catch {
    return 0;
  }
}

/** Fails clearly when something that is not the lab already listens on a port the lab needs. */
async function assertPortFree(port: number, what: string): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
  if (inUse) throw new Error(`127.0.0.1:${port} is already in use by a process the lab did not start; ${what} needs it. Nothing was started.`);
}
