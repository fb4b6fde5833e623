// The lab's fixed topology: which namespaces, pods and "external" hosts exist, their addresses and names.
// The control plane (lab up) creates exactly these; the workloads and scenarios refer to them by name.
// Every address here lives on the lab's own bridge and network namespaces: pods have no default route, and the host
// drops anything from these ranges that would leave through a real interface.

export const LAB_NODE_NAMES = ['lab-node-1', 'lab-node-2'] as const;
export type LabNodeName = (typeof LAB_NODE_NAMES)[number];

/** Pod network (one bridge, `vigil0`, whose host side is the gateway). */
export const POD_CIDR = '10.244.0.0/24';
export const POD_GATEWAY = '10.244.0.1';
/** Virtual service IPs; the lab programs them like kube-proxy would. */
export const SERVICE_CIDR = '10.96.0.0/24';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const DNS_SERVICE_IP = '10.96.0.10';
/**
 * "The internet" as seen from the lab: a separate network namespace on the same bridge, in TEST-NET-2. Not TEST-NET-3
 * (203.0.113.0/24): on these machines the package registries resolve into that range, and a lab route over it would
 * cut every install off while the lab is up.
 */
export const EXTERNAL_CIDR = '198.51.100.0/24';
export const EXTERNAL_GATEWAY = '198.51.100.1';

export type CgroupDriver = 'cgroupfs' | 'systemd';
export type QosClass = 'guaranteed' | 'burstable' | 'besteffort';

export interface LabPodSpec {
  namespace: string;
  name: string;
  /** Owner kind: a Deployment gets a ReplicaSet and a pod-template-hash like the controller would make. */
  owner: { kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'None'; name: string };
  serviceAccount: string;
  node: LabNodeName;
  ip: string;
  cgroupDriver: CgroupDriver;
  qos: QosClass;
  labels: Record<string, string>;
  /** Ports the pod's service exposes (a Service named after the owner is created when non-empty). */
  servicePorts: { name: string; port: number; targetPort: number }[];
  /** Declared AI role, as a platform team would annotate it. Absent on shadow AI. */
  declaredAiRole?: 'agent' | 'inference-server' | 'mcp-server';
}

export const LAB_PODS: LabPodSpec[] = [
  {
    namespace: 'agents', name: 'research-agent-7c9f6d5b8-x2k4p', owner: { kind: 'Deployment', name: 'research-agent' },
    serviceAccount: 'research-agent', node: 'lab-node-1', ip: '10.244.0.11', cgroupDriver: 'systemd', qos: 'burstable',
    labels: { app: 'research-agent', team: 'ml' }, servicePorts: [{ name: 'http', port: 80, targetPort: 8080 }],
    declaredAiRole: 'agent',
  },
  {
    namespace: 'agents', name: 'support-agent-5d8b7c6f4-q9w2e', owner: { kind: 'Deployment', name: 'support-agent' },
    serviceAccount: 'support-agent', node: 'lab-node-2', ip: '10.244.0.12', cgroupDriver: 'cgroupfs', qos: 'burstable',
    labels: { app: 'support-agent', team: 'support' }, servicePorts: [{ name: 'http', port: 80, targetPort: 8080 }],
    declaredAiRole: 'agent',
  },
  {
    namespace: 'mcp', name: 'mcp-files-0', owner: { kind: 'StatefulSet', name: 'mcp-files' },
    serviceAccount: 'mcp-files', node: 'lab-node-1', ip: '10.244.0.21', cgroupDriver: 'systemd', qos: 'besteffort',
    labels: { app: 'mcp-files' }, servicePorts: [{ name: 'mcp', port: 80, targetPort: 3001 }],
    declaredAiRole: 'mcp-server',
  },
  {
    namespace: 'payments', name: 'payments-api-6f7d8c9b5-m3n4b', owner: { kind: 'Deployment', name: 'payments-api' },
    serviceAccount: 'payments-api', node: 'lab-node-2', ip: '10.244.0.31', cgroupDriver: 'cgroupfs', qos: 'guaranteed',
    labels: { app: 'payments-api', tier: 'backend' }, servicePorts: [{ name: 'http', port: 80, targetPort: 8080 }],
  },
  {
    namespace: 'payments', name: 'payments-db-0', owner: { kind: 'StatefulSet', name: 'payments-db' },
    serviceAccount: 'default', node: 'lab-node-2', ip: '10.244.0.32', cgroupDriver: 'cgroupfs', qos: 'guaranteed',
    labels: { app: 'payments-db', tier: 'data' }, servicePorts: [{ name: 'redis', port: 6379, targetPort: 6379 }],
  },
  {
    namespace: 'data-science', name: 'notebook-84d9c7b6f-7hj2k', owner: { kind: 'Deployment', name: 'notebook' },
    serviceAccount: 'default', node: 'lab-node-1', ip: '10.244.0.41', cgroupDriver: 'systemd', qos: 'besteffort',
    labels: { app: 'notebook' }, servicePorts: [],
  },
  {
    namespace: 'data-science', name: 'model-server-0', owner: { kind: 'StatefulSet', name: 'model-server' },
    serviceAccount: 'default', node: 'lab-node-1', ip: '10.244.0.42', cgroupDriver: 'systemd', qos: 'burstable',
    labels: { app: 'model-server' }, servicePorts: [{ name: 'http', port: 80, targetPort: 8000 }],
  },
];

/** Hosts outside the cluster, all inside the lab's "external" network namespace. */
export interface ExternalHost { name: string; ip: string; role: string }
export const EXTERNAL_HOSTS: ExternalHost[] = [
  { name: 'api.llm-provider.example', ip: '198.51.100.10', role: 'OpenAI-compatible LLM API over TLS (scripted answers)' },
  { name: 'api.weather.example', ip: '198.51.100.20', role: 'third-party API an agent legitimately calls' },
  { name: 'docs.partner.example', ip: '198.51.100.21', role: 'document host the research agent retrieves from' },
  { name: 'collect.exfil.example', ip: '198.51.100.66', role: 'attacker exfiltration sink' },
  { name: 'downloads.example', ip: '198.51.100.70', role: 'file host the cryptominer is downloaded from' },
  { name: 'pool.mining.example', ip: '198.51.100.77', role: 'cryptomining pool (stratum on 3333)' },
];

export const CLUSTER_DOMAIN = 'cluster.local';

export function podKey(p: Pick<LabPodSpec, 'namespace' | 'name'>): string {
  return `${p.namespace}/${p.name}`;
}

export function findLabPod(key: string): LabPodSpec | undefined {
  return LAB_PODS.find((p) => podKey(p) === key || `${p.namespace}/${p.owner.name}` === key);
}
