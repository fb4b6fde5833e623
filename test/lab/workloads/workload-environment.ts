// Where the workloads run and how they find each other. Two environments, one set of programs:
//   lab       every process in its pod (cgroup + network/mount namespaces) or on the "external" host, servers on
//             their fixed IPs and ports, clients using cluster DNS names and the external host names;
//   loopback  plain child processes on 127.0.0.1 with a free port each: for developing and testing the workloads
//             without root or a lab.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { CLUSTER_DOMAIN, EXTERNAL_HOSTS, findLabPod, type LabPodSpec } from '../topology.js';
import type { LabState } from '../lab-state.js';
import { spawnInPod, spawnOnExternalHost } from '../pod-exec.js';

export type Placement = { pod: string } | { external: string };

export const SERVICE_IDS = [
  'llm', 'weather', 'docs', 'exfil', 'downloads', 'pool',
  'mcp-files', 'research-agent', 'support-agent', 'payments-api', 'payments-db', 'model-server', 'research-cache',
  'research-metrics',
] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export interface ServiceAddress {
  /** Where the server binds, inside its own network namespace. */
  bindHost: string;
  bindPort: number;
  /** How clients inside the lab (or on loopback) name it. */
  clientHost: string;
  clientPort: number;
  /** How the launcher and the scenario runner reach it from the host; null when only its pod can (a sidecar). */
  fromHost: { host: string; port: number } | null;
}

export interface WorkloadEnvironment {
  mode: 'lab' | 'loopback';
  /** Directory for certificates, logs, records, data and the process list. */
  dir: string;
  address(service: ServiceId): ServiceAddress;
  /** Base URL of the Kubernetes API as a pod sees it (null on loopback: there is no cluster). */
  kubeApiUrl: string | null;
  spawn(where: Placement, argv: string[], opts: { env: Record<string, string>; stdio: StdioOptions }): ChildProcess;
  lab: LabState | null;
}

const external = (name: string) => {
  const host = EXTERNAL_HOSTS.find((h) => h.name === name);
  if (!host) throw new Error(`no external host ${name} in the lab topology`);
  return host;
};

function pod(ownerKey: string): LabPodSpec {
  const spec = findLabPod(ownerKey);
  if (!spec) throw new Error(`no lab pod ${ownerKey} in the lab topology`);
  return spec;
}

/** A ClusterIP service in front of a pod: clients use its DNS name and service port; the host reaches the pod. */
function podService(ownerKey: string, targetPort: number): ServiceAddress {
  const spec = pod(ownerKey);
  const servicePort = spec.servicePorts.find((p) => p.targetPort === targetPort)?.port ?? targetPort;
  return {
    bindHost: '0.0.0.0', bindPort: targetPort,
    clientHost: `${spec.owner.name}.${spec.namespace}.svc.${CLUSTER_DOMAIN}`, clientPort: servicePort,
    fromHost: { host: spec.ip, port: targetPort },
  };
}

function externalService(name: string, port: number): ServiceAddress {
  const { ip } = external(name);
  return { bindHost: ip, bindPort: port, clientHost: name, clientPort: port, fromHost: { host: ip, port } };
}

const labAddresses: Record<ServiceId, () => ServiceAddress> = {
  llm: () => externalService('api.llm-provider.example', 443),
  weather: () => externalService('api.weather.example', 443),
  docs: () => externalService('docs.partner.example', 443),
  exfil: () => externalService('collect.exfil.example', 443),
  downloads: () => externalService('downloads.example', 80),
  pool: () => externalService('pool.mining.example', 3333),
  'mcp-files': () => podService('mcp/mcp-files', 3001),
  'research-agent': () => podService('agents/research-agent', 8080),
  'support-agent': () => podService('agents/support-agent', 8080),
  'payments-api': () => podService('payments/payments-api', 8080),
  'payments-db': () => podService('payments/payments-db', 6379),
  'model-server': () => podService('data-science/model-server', 8000),
  // A cache sidecar in the research agent's pod, on the pod's loopback.
  'research-cache': () => ({ bindHost: '127.0.0.1', bindPort: 6379, clientHost: '127.0.0.1', clientPort: 6379, fromHost: null }),
  // Release 2's Prometheus exporter port, beside the research agent's API.
  'research-metrics': () => podService('agents/research-agent', 9090),
};

export function labEnvironment(lab: LabState, dir: string): WorkloadEnvironment {
  return {
    mode: 'lab',
    dir,
    lab,
    kubeApiUrl: 'https://kubernetes.default.svc',
    address: (service) => labAddresses[service](),
    spawn(where, argv, opts) {
      const spawnOpts = { env: opts.env, stdio: opts.stdio, detached: true, lab };
      return 'pod' in where ? spawnInPod(where.pod, argv, spawnOpts) : spawnOnExternalHost(argv, spawnOpts);
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Loopback: each service gets its own free port on 127.0.0.1, chosen once. */
export async function loopbackEnvironment(dir: string): Promise<WorkloadEnvironment> {
  const ports = new Map<ServiceId, number>();
  for (const id of SERVICE_IDS) ports.set(id, await freePort());
  return {
    mode: 'loopback',
    dir,
    lab: null,
    kubeApiUrl: null,
    address(service) {
      const port = ports.get(service)!;
      return { bindHost: '127.0.0.1', bindPort: port, clientHost: '127.0.0.1', clientPort: port, fromHost: { host: '127.0.0.1', port } };
    },
    spawn(_where, argv, opts) {
      const [command, ...args] = argv;
      return spawn(command!, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...opts.env }, stdio: opts.stdio, detached: true });
    },
  };
}

/** URL of a service as its clients write it. */
export function serviceUrl(env: WorkloadEnvironment, service: ServiceId, scheme: 'http' | 'https', path = ''): string {
  const { clientHost, clientPort } = env.address(service);
  const defaultPort = scheme === 'https' ? 443 : 80;
  return `${scheme}://${clientHost}${clientPort === defaultPort ? '' : `:${clientPort}`}${path}`;
}
