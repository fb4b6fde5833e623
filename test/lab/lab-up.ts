// `vigil lab up`: control plane, network, cluster objects, pods (cgroup + namespaces + token), DNS, collector,
// workloads — each step finds what is already there and repairs only what is missing, so running it twice is safe.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DNS_SERVICE_IP, EXTERNAL_HOSTS, LAB_NODE_NAMES, POD_GATEWAY, podKey } from './topology.js';
import { LAB_CONTEXTS, labStateDir, type LabPodState, type LabState } from './lab-state.js';
import { labPreflight } from './preflight.js';
import { ensureControlPlaneBinaries } from './controlplane/binaries.js';
import { ensurePki } from './controlplane/pki.js';
import { ensureLabUsers, writeKubeconfig } from './controlplane/credentials.js';
import { APISERVER_PORT, APISERVER_SANS, APISERVER_URL, ETCD_URL, ensureControlPlane } from './controlplane/control-plane.js';
import { KubeClient } from './cluster/kube-client.js';
import { applyClusterObjects, applyPodStatusAndServices, applyPods, requestPodToken, type AppliedPod } from './cluster/apply-cluster.js';
import { labServices } from './cluster/objects.js';
import { ensureCgroup, ensurePodCgroup, kubeletContainerCgroup, labCgroupDir } from './host/cgroups.js';
import { ensureBridge, ensureExternalNetwork, ensurePodNetwork, writeNetnsResolvConf } from './host/network.js';
import { applyLabFirewall, labNftRuleset, type ServiceNatRule } from './host/firewall.js';
import { DNSMASQ, dnsmasqArgs, podResolvConf, writeDnsmasqConfig } from './host/dns.js';
import { daemonLogTail, runningDaemonPid, startDaemon, stopDaemon } from './host/daemons.js';
import { ensurePodMountNamespace } from './host/pod-mounts.js';
import { ensureCollector } from './collector-hook.js';
import { startWorkloads } from './workloads-hook.js';

export interface LabUpOptions {
  log: (message: string) => void;
  /** Skip the workloads hook (tests of the bare lab). */
  withoutWorkloads?: boolean;
}

export async function labUp(opts: LabUpOptions): Promise<LabState> {
  const { cgroupRoot } = labPreflight();
  const log = opts.log;
  const stateDir = labStateDir();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });

  const binaries = ensureControlPlaneBinaries();
  const pki = ensurePki(stateDir, APISERVER_SANS);
  const { users, tokenFile } = ensureLabUsers(pki.dir);
  const adminToken = users.find((u) => u.role === 'admin')?.token ?? '';
  const controlPlane = await ensureControlPlane({
    stateDir, binaries, pki, tokenFile, adminToken, cgroupDir: labCgroupDir(cgroupRoot, 'control-plane'), log,
  });
  const kubeconfig = path.join(stateDir, 'kubeconfig');
  writeKubeconfig(kubeconfig, APISERVER_URL, pki.caCert, users);

  log('setting up the lab network (bridge vigil0, nftables table vigil_lab, DNS)');
  ensureBridge();
  applyLabFirewall(labNftRuleset({ services: serviceNatRules(), apiserverPort: APISERVER_PORT }));
  const externalNetns = ensureExternalNetwork();
  const externalCgroup = labCgroupDir(cgroupRoot, 'external');
  ensureCgroup(externalCgroup);
  const dnsPid = await ensureDns(stateDir, labCgroupDir(cgroupRoot, 'control-plane'));

  const client = new KubeClient(APISERVER_URL, adminToken, pki.caCert);
  let pods: LabPodState[];
  try {
    log('writing nodes, namespaces, service accounts, RBAC');
    await applyClusterObjects(client, { caPem: readFileSync(pki.caCert, 'utf8'), kernelVersion: os.release() });
    log('creating pods: objects, cgroups, network and mount namespaces, service-account tokens');
    const applied = await applyPods(client);
    pods = [];
    for (const pod of applied) pods.push(await setUpPodRuntime(client, pod, { stateDir, cgroupRoot, caFile: pki.caCert }));
    await applyPodStatusAndServices(client, applied);
  } finally {
    client.close();
  }

  const adminKubeconfig = path.join(stateDir, 'kubeconfig');
  const collector = await ensureCollector({ stateDir, pki, adminKubeconfig, cgroupDir: labCgroupDir(cgroupRoot, 'collector'), log });
  if (collector.error) log(`warning: ${collector.error}`);

  const state: LabState = {
    stateDir,
    kubeconfig,
    contexts: LAB_CONTEXTS,
    apiserver: { url: APISERVER_URL, version: binaries.kubernetesVersion, pid: controlPlane.apiserverPid },
    etcd: { url: ETCD_URL, version: binaries.etcdVersion, pid: controlPlane.etcdPid },
    caFile: pki.caCert,
    auditLog: controlPlane.auditLog,
    cgroupRoot,
    nodes: LAB_NODE_NAMES.map((name) => ({ name })),
    pods,
    externalHost: { netns: externalNetns, ips: EXTERNAL_HOSTS.map((h) => h.ip), cgroupDir: externalCgroup },
    dns: { serviceIp: DNS_SERVICE_IP, listen: `${POD_GATEWAY}:53`, pid: dnsPid },
    collector: collector.collector,
    ...(collector.error ? { collectorError: collector.error } : {}),
    startedAt: previousStartedAt(stateDir) ?? new Date().toISOString(),
  };
  writeState(stateDir, state);

  if (!opts.withoutWorkloads && await startWorkloads(state)) log('started the lab workloads (test/lab/workloads)');
  return state;
}

function serviceNatRules(): ServiceNatRule[] {
  return labServices().flatMap((svc) => svc.pod.servicePorts.map((sp): ServiceNatRule => ({
    clusterIp: svc.clusterIp, port: sp.port, targetIp: svc.pod.ip, targetPort: sp.targetPort, protocol: 'tcp',
  })));
}

async function ensureDns(stateDir: string, cgroupDir: string): Promise<number> {
  const config = writeDnsmasqConfig(stateDir);
  const running = runningDaemonPid(stateDir, 'dnsmasq', DNSMASQ);
  if (running !== null && readFileSync(`/proc/${running}/cmdline`, 'utf8').includes(config)) return running;
  // The records changed (a new topology): dnsmasq reads them only at start, so restart it.
  if (running !== null) await stopDaemon(stateDir, 'dnsmasq', DNSMASQ);
  const pid = startDaemon({ name: 'dnsmasq', command: DNSMASQ, args: dnsmasqArgs(config), cgroupDir, stateDir });
  // dnsmasq fails fast (e.g. address in use); give it a moment and check it is still there.
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (runningDaemonPid(stateDir, 'dnsmasq', DNSMASQ) === null) {
    throw new Error(`dnsmasq exited at start. Its log:\n${daemonLogTail(stateDir, 'dnsmasq')}`);
  }
  return pid;
}

async function setUpPodRuntime(client: KubeClient, pod: AppliedPod, ctx: { stateDir: string; cgroupRoot: string; caFile: string }): Promise<LabPodState> {
  const { spec } = pod;
  const cgroup = kubeletContainerCgroup(spec.cgroupDriver, spec.qos, pod.uid, pod.containerId);
  const cgroupDir = ensurePodCgroup(ctx.stateDir, ctx.cgroupRoot, cgroup);
  const netns = ensurePodNetwork(spec);
  const podDir = path.join(ctx.stateDir, 'pods', `${spec.namespace}_${spec.name}`);
  const serviceAccountDir = path.join(podDir, 'serviceaccount');
  mkdirSync(serviceAccountDir, { recursive: true });
  writeAtomically(path.join(serviceAccountDir, 'token'), await requestPodToken(client, pod));
  writeAtomically(path.join(serviceAccountDir, 'ca.crt'), readFileSync(ctx.caFile, 'utf8'));
  writeAtomically(path.join(serviceAccountDir, 'namespace'), spec.namespace);
  const resolvConf = path.join(podDir, 'resolv.conf');
  // Written in place, not renamed: the pod's mount namespace binds this very inode over /etc/resolv.conf.
  writeFileSync(resolvConf, podResolvConf(spec.namespace));
  writeNetnsResolvConf(netns, podResolvConf(spec.namespace));
  const ns = ensurePodMountNamespace(ctx.stateDir, `${spec.namespace}_${spec.name}`, spec.name, serviceAccountDir, resolvConf);
  return {
    namespace: spec.namespace, name: spec.name, uid: pod.uid, ip: spec.ip, node: spec.node,
    serviceAccount: spec.serviceAccount, qos: spec.qos, cgroupDriver: spec.cgroupDriver,
    cgroup, cgroupDir, containerId: pod.containerId, netns,
    mountNamespaceFile: ns.mount, utsNamespaceFile: ns.uts, serviceAccountDir,
  };
}

/** Replaced by rename, so a reader (and the pod's bind mount of the directory) never sees a half-written file. */
function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, content, { mode: 0o644 });
  renameSync(tmp, file);
}

function writeState(stateDir: string, state: LabState): void {
  writeAtomically(path.join(stateDir, 'state.json'), JSON.stringify(state, null, 2) + '\n');
}

function previousStartedAt(stateDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as LabState).startedAt;
  } catch {
    return undefined;
  }
}

export function describePods(state: LabState): string {
  return state.pods.map((p) => `${podKey(p)} ${p.ip}`).join(', ');
}
