// Reaching a discovered collector pod: through the API server (port-forward, works from any laptop that can reach
// the API server) or directly at the pod's IP (from inside the cluster network, or where pod IPs are routed). Either
// way the result is an ordinary CollectorTarget — URL, token, CA — for CollectorClient.
import type { KubeClient } from '../kube/kube-client.js';
import type { CollectorTarget } from './collector-target.js';
import type { CollectorDiscovery, CollectorPod } from './discovery-collector-pods.js';
import { certificateProblemFor, type CollectorCredentials } from './discovery-credentials.js';
import { openPortForward, type PortForwardTunnel } from './discovery-port-forward.js';

export const COLLECTOR_ROUTES = ['port-forward', 'direct'] as const;
export type CollectorRoute = (typeof COLLECTOR_ROUTES)[number];

export class CollectorDiscoveryError extends Error {
  override name = 'CollectorDiscoveryError';
}

export interface ConnectedCollector {
  target: CollectorTarget;
  pod: CollectorPod;
  route: CollectorRoute;
  /** Why the last port-forwarded connection failed, when it did (the kubelet's words). */
  tunnelError(): string | undefined;
  close(): Promise<void>;
}

function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function connectToCollectorPod(client: KubeClient, pod: CollectorPod, credentials: CollectorCredentials, route: CollectorRoute): Promise<ConnectedCollector> {
  let host: string;
  let port: number;
  let tunnel: PortForwardTunnel | undefined;
  if (route === 'direct') {
    if (!pod.ip) throw new CollectorDiscoveryError(`collector pod ${pod.namespace}/${pod.name} on ${pod.node} has no IP yet, so it cannot be reached directly`);
    host = pod.ip;
    port = pod.port;
  } else {
    host = '127.0.0.1';
    port = 0;
  }
  const problem = credentials.certificate ? certificateProblemFor(credentials.certificate, host) : undefined;
  if (problem) {
    const fix = route === 'port-forward' ? 'issue it with 127.0.0.1 among its names to use port-forward, or use --via direct' : 'issue it with the pod IP among its names, or use port-forward';
    throw new CollectorDiscoveryError(`${problem}: ${fix}; nothing was connected`);
  }
  if (route === 'port-forward') {
    tunnel = await openPortForward(client.kubeConfig, pod.namespace, pod.name, pod.port);
    port = tunnel.port;
  }
  return {
    target: { url: `https://${hostInUrl(host)}:${port}`, token: credentials.token, ca: credentials.ca },
    pod,
    route,
    tunnelError: () => tunnel?.lastError(),
    close: async () => tunnel?.close(),
  };
}

/** The collector pod of `node`, or the only ready one; otherwise an error naming the nodes to choose from. */
export function pickCollectorPod(discovery: CollectorDiscovery, node?: string): CollectorPod {
  const where = `in ${discovery.searched}`;
  if (discovery.daemonSets.length === 0) {
    const hint = discovery.problems.length ? ` (${discovery.problems.join('; ')})` : '';
    throw new CollectorDiscoveryError(`no Vigil collector DaemonSet (label app.kubernetes.io/name=vigil-collector) ${where}${hint}; deploy it with kubectl apply -k native-bpf-collector/deploy`);
  }
  const ready = discovery.pods.filter((p) => p.ready);
  const describeNodes = () => discovery.pods.map((p) => `${p.node} (${p.namespace}/${p.name}, ${p.ready ? 'ready' : `not ready: ${p.notReadyReason}`})`).join(', ') || 'none';
  if (node !== undefined) {
    const onNode = discovery.pods.filter((p) => p.node === node);
    if (onNode.length === 0) throw new CollectorDiscoveryError(`no collector pod on node ${node} ${where}; collector pods: ${describeNodes()}`);
    const readyOnNode = onNode.find((p) => p.ready);
    if (!readyOnNode) throw new CollectorDiscoveryError(`the collector pod on node ${node} is not ready: ${onNode.map((p) => `${p.namespace}/${p.name}: ${p.notReadyReason}`).join('; ')}`);
    return readyOnNode;
  }
  const readyNodes = [...new Set(ready.map((p) => p.node))];
  if (readyNodes.length === 1) return ready[0]!;
  if (readyNodes.length === 0) throw new CollectorDiscoveryError(`no collector pod is ready ${where}; collector pods: ${describeNodes()}`);
  throw new CollectorDiscoveryError(`collectors run on ${readyNodes.length} nodes (${readyNodes.join(', ')}): say which with --node`);
}
