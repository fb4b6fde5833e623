// What a running lab looks like to everyone else: `vigil lab up` writes it to <stateDir>/state.json, and the
// workloads, scenarios, integration tests and the collector hook read it back with readLabState().
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CgroupDriver, LabNodeName, QosClass } from './topology.js';

/** Where the lab keeps pid files, certificates, etcd data and state.json. Tests may point it elsewhere. */
export function labStateDir(): string {
  return process.env.VIGIL_LAB_STATE_DIR ?? '/run/vigil-lab';
}

export const LAB_CONTEXTS = {
  admin: 'vigil-lab-admin',
  responder: 'vigil-lab-responder',
  auditor: 'vigil-lab-auditor',
} as const;

export interface LabPodState {
  namespace: string;
  name: string;
  uid: string;
  ip: string;
  node: LabNodeName;
  serviceAccount: string;
  qos: QosClass;
  cgroupDriver: CgroupDriver;
  /** Path of the container's cgroup relative to the cgroup v2 root (no leading slash), as the kubelet names it. */
  cgroup: string;
  /** Absolute path of that cgroup directory on this machine. */
  cgroupDir: string;
  /** 64 hex digits; the Pod's status says `containerd://<containerId>`. */
  containerId: string;
  /** Network namespace name under /run/netns (usable with `ip netns exec`). */
  netns: string;
  /** Persistent mount namespace (bind-mounted nsfs file) holding the pod's service-account files and resolv.conf. */
  mountNamespaceFile: string;
  /** Persistent UTS namespace (hostname = pod name). */
  utsNamespaceFile: string;
  /** Host directory bind-mounted at /var/run/secrets/kubernetes.io/serviceaccount inside the pod. */
  serviceAccountDir: string;
}

export interface LabCollectorState {
  url: string;
  tokenFile: string;
  caFile: string;
  pid: number;
}

export interface LabState {
  stateDir: string;
  kubeconfig: string;
  contexts: typeof LAB_CONTEXTS;
  apiserver: { url: string; version: string; pid: number };
  etcd: { url: string; version: string; pid: number };
  /** The lab CA: it signed the apiserver's serving certificate and the collector's. */
  caFile: string;
  auditLog: string;
  cgroupRoot: string;
  nodes: { name: LabNodeName }[];
  pods: LabPodState[];
  externalHost: { netns: string; ips: string[]; cgroupDir: string };
  dns: { serviceIp: string; listen: string; pid: number };
  collector: LabCollectorState | null;
  /** Why the collector is null although its binary exists (it did not start or answer /healthz). */
  collectorError?: string;
  startedAt: string;
}

/** What the workloads hook (startLabWorkloads/stopLabWorkloads) receives: the running lab. */
export type Lab = LabState;

/** The lab that `vigil lab up` left running, or null when none was brought up (no state.json). */
export function readLabState(stateDir = labStateDir()): LabState | null {
  let text: string;
  try {
    text = readFileSync(path.join(stateDir, 'state.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return JSON.parse(text) as LabState;
}

/** The JSON that `vigil lab up --json` and `vigil lab status --json` print (the shape, plus more fields). */
export function labStatusJson(state: LabState): Record<string, unknown> {
  return {
    kubeconfig: state.kubeconfig,
    contexts: state.contexts,
    collector: state.collector ? { url: state.collector.url, tokenFile: state.collector.tokenFile, caFile: state.collector.caFile } : null,
    ...(state.collectorError ? { collectorError: state.collectorError } : {}),
    pods: state.pods.map((p) => ({
      namespace: p.namespace, name: p.name, uid: p.uid, ip: p.ip, cgroup: p.cgroup, containerId: p.containerId,
      node: p.node, netns: p.netns, cgroupDriver: p.cgroupDriver,
    })),
    apiserver: state.apiserver.url,
    kubernetesVersion: state.apiserver.version,
    etcdVersion: state.etcd.version,
    auditLog: state.auditLog,
    caFile: state.caFile,
    nodes: state.nodes.map((n) => n.name),
    externalHost: state.externalHost,
    dnsServiceIp: state.dns.serviceIp,
    stateDir: state.stateDir,
    startedAt: state.startedAt,
  };
}
