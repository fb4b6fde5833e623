// `clusters.collectors`: the Vigil collectors of one context, per node. Collector pods are found through the API
// (DaemonSet, pods, Service), reached by port-forward through the API server (or directly at the pod IP), and each
// is asked for its health twice one second apart (the event rate), with its loss and attribution counters. For a
// lab context the lab's collector, which runs on the machine rather than in a pod, is reached directly. The token
// comes from the collectors' Secret with the user's rights and never leaves main.
import { ApiError } from '../../shared/api/contract-kit.js';
import type { ClusterCollectors } from '../../shared/api/contract.js';
import { readLabState } from '../../test/lab/lab-state.js';
import { CollectorClient } from '../collector/collector-client.js';
import type { CollectorTarget } from '../collector/collector-target.js';
import { targetFromLab } from '../collector/collector-target.js';
import { connectToCollectorPod, type CollectorRoute } from '../collector/discovery-connect.js';
import { discoverCollectors, type CollectorPod } from '../collector/discovery-collector-pods.js';
import { credentialsFromSecret, type CollectorCredentials } from '../collector/discovery-credentials.js';
import { KubeconfigSet } from '../kube/kubeconfig-contexts.js';
import type { KubeClient } from '../kube/kube-client.js';
import { vigilCounters } from './clusters.js';

type NodeCollector = ClusterCollectors['nodes'][number];

const RATE_SAMPLE_MS = 1_000;
/** Collectors probed at once: each holds a port-forward through the API server for about a second. */
const PROBES_AT_ONCE = 8;

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function sumOf(counters: Record<string, number>, prefix: string): number {
  let total = 0;
  for (const [name, value] of Object.entries(counters)) if (name === prefix || name.startsWith(`${prefix}{`)) total += value;
  return total;
}

/** Health, a one-second event rate, and the loss and attribution counters of one collector. */
export async function probeCollector(target: CollectorTarget, describeFailure: (error: Error) => string = (e) => e.message): Promise<Pick<NodeCollector, 'status' | 'eventsPerSecond' | 'lostEvents' | 'unattributedEvents'>> {
  const client = new CollectorClient(target);
  try {
    const first = await client.health();
    const firstAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, RATE_SAMPLE_MS));
    const [second, metrics] = await Promise.all([client.health(), client.metrics().catch(() => '')]);
    const seconds = (performance.now() - firstAt) / 1000;
    const counters = vigilCounters(metrics);
    return {
      status: {
        state: 'healthy', url: target.url, node: second.node, podsSynced: second.podsSynced, enforcement: second.enforcement, tls: second.tls,
        bufferedEvents: Math.max(0, second.buffer.newestCursor - second.buffer.oldestCursor), newestCursor: second.buffer.newestCursor, counters,
      },
      eventsPerSecond: Math.max(0, Math.round(((second.buffer.newestCursor - first.buffer.newestCursor) / seconds) * 10) / 10),
      lostEvents: metrics ? sumOf(counters, 'vigil_collector_lost_events_total') : null,
      unattributedEvents: metrics ? sumOf(counters, 'vigil_collector_unattributed_events_total') : null,
    };
  } catch (error) {
    return { status: { state: 'unreachable', url: target.url, message: describeFailure(error as Error) }, eventsPerSecond: null, lostEvents: null, unattributedEvents: null };
  } finally {
    client.close();
  }
}

async function podCollector(client: KubeClient, pod: CollectorPod, credentials: CollectorCredentials | Error, route: CollectorRoute): Promise<NodeCollector> {
  const base = { node: pod.node, pod: `${pod.namespace}/${pod.name}`, route, ready: pod.ready, ...(pod.notReadyReason ? { notReadyReason: pod.notReadyReason } : {}) };
  const unreachable = (message: string): NodeCollector => ({ ...base, status: { state: 'unreachable', url: null, message }, eventsPerSecond: null, lostEvents: null, unattributedEvents: null });
  if (credentials instanceof Error) return unreachable(credentials.message);
  if (!pod.ready) return unreachable(`the pod is not ready (${pod.notReadyReason ?? 'unknown'})`);
  let connected;
  try {
    connected = await connectToCollectorPod(client, pod, credentials, route);
  } catch (error) {
    return unreachable((error as Error).message);
  }
  try {
    return { ...base, ...(await probeCollector(connected.target, (error) => connected.tunnelError() ?? error.message)) };
  } finally {
    await connected.close();
  }
}

async function labCollector(): Promise<NodeCollector | null> {
  const lab = readLabState();
  if (!lab?.collector) return null;
  const probed = await probeCollector(targetFromLab(lab.stateDir));
  const node = probed.status.state === 'healthy' ? probed.status.node : 'lab-node-1';
  return { node, pod: null, route: 'lab', ready: probed.status.state === 'healthy', ...probed };
}

export async function clusterCollectors(request: { contextId: string; source: 'kubeconfig' | 'lab'; route?: CollectorRoute }, env: NodeJS.ProcessEnv = process.env): Promise<ClusterCollectors> {
  const lab = request.source === 'lab' ? readLabState() : null;
  if (request.source === 'lab' && !lab) throw new ApiError('unavailable', 'the lab is not up (run `vigil lab up`)');
  const set = lab ? new KubeconfigSet([lab.kubeconfig]) : KubeconfigSet.fromEnvironment(env);
  const context = set.contexts.find((c) => c.id === request.contextId);
  if (!context) throw new ApiError('unavailable', `no ${request.source} context with id ${request.contextId} any more (check the clusters again)`);
  const client = set.client(context.name);
  let discovery;
  try {
    discovery = await discoverCollectors(client);
  } catch (error) {
    throw new ApiError('unavailable', `could not look for collectors with ${context.name}: ${(error as Error).message}`);
  }
  const problems = [...discovery.problems];
  let credentials: CollectorCredentials | Error | null = null;
  const secretOwner = discovery.daemonSets[0];
  if (secretOwner && discovery.pods.length > 0) {
    credentials = await credentialsFromSecret(client, secretOwner.namespace, secretOwner.secretName).catch((error: Error) => error);
    if (credentials instanceof Error) problems.push(credentials.message);
  }
  const route = request.route ?? 'port-forward';
  const nodes = await mapLimited(discovery.pods, PROBES_AT_ONCE, (pod) => podCollector(client, pod, credentials ?? new Error('no credentials'), route));
  if (lab && nodes.length === 0) {
    const labNode = await labCollector();
    if (labNode) nodes.push(labNode);
  }
  return {
    context: context.name,
    searched: discovery.searched,
    daemonSets: discovery.daemonSets.map(({ namespace, name, desired, ready, services }) => ({ namespace, name, desired, ready, services })),
    nodes,
    credentials: credentials && !(credentials instanceof Error) ? credentials.source : nodes.some((n) => n.route === 'lab') ? 'the lab' : null,
    problems,
    checkedAt: new Date().toISOString(),
  };
}
