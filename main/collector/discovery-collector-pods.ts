// Finds Vigil's collectors in a cluster the way native-bpf-collector/deploy installs them: DaemonSets labelled
// app.kubernetes.io/name=vigil-collector, their pods (by the DaemonSet's own selector) one per node with readiness
// and the API port, the Services in front of them, and the Secret holding the API token and certificate. Read-only:
// list and get only, with the user's own rights; what cannot be read is said, not guessed.
import type { KubeClient } from '../kube/kube-client.js';
import { isKubeApiError } from '../kube/kube-errors.js';

/** The labels `kubectl apply -k native-bpf-collector/deploy` puts on every collector object (kustomization.yaml). */
export const COLLECTOR_LABEL_SELECTOR = 'app.kubernetes.io/name=vigil-collector';
/** Where the deploy manifests install the collector; searched alone when DaemonSets cannot be listed cluster-wide. */
export const DEFAULT_COLLECTOR_NAMESPACE = 'vigil-system';
const DEFAULT_API_PORT = 7443;
const DEFAULT_SECRET = 'vigil-collector-api';

interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
}
interface ContainerSpec {
  name: string;
  ports?: { name?: string; containerPort: number }[];
}
interface DaemonSetObject {
  metadata: Meta;
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: ContainerSpec[]; volumes?: { name: string; secret?: { secretName?: string } }[] } };
  };
  status?: { desiredNumberScheduled?: number; numberReady?: number; numberAvailable?: number };
}
interface PodObject {
  metadata: Meta & { ownerReferences?: { kind: string; uid: string }[]; deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: ContainerSpec[] };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string; message?: string }[] };
}
interface ServiceObject {
  metadata: Meta;
  spec?: { selector?: Record<string, string>; clusterIP?: string; ports?: { name?: string; port: number }[] };
}

export interface CollectorPod {
  namespace: string;
  name: string;
  node: string;
  /** The pod's IP (where a direct connection goes); absent until the pod has one. */
  ip?: string;
  /** The collector's API port inside the pod (the container port named "api"). */
  port: number;
  phase: string;
  ready: boolean;
  /** Why the pod is not ready, when its Ready condition says. */
  notReadyReason?: string;
  daemonSet: string;
}

export interface CollectorDaemonSet {
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  /** The Secret the pods mount that holds the API token and TLS files. */
  secretName: string;
  services: { name: string; clusterIP?: string; port: number }[];
}

export interface CollectorDiscovery {
  /** "all namespaces" or the namespace searched. */
  searched: string;
  daemonSets: CollectorDaemonSet[];
  /** Collector pods sorted by node; a node may have more than one during a rolling update. */
  pods: CollectorPod[];
  /** What could not be read (forbidden lists), so the answer may be incomplete. */
  problems: string[];
}

const encode = encodeURIComponent;

function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

function apiPortOf(containers: ContainerSpec[] | undefined): number {
  for (const container of containers ?? []) {
    const port = container.ports?.find((p) => p.name === 'api');
    if (port) return port.containerPort;
  }
  return DEFAULT_API_PORT;
}

function secretNameOf(daemonSet: DaemonSetObject): string {
  const volumes = daemonSet.spec?.template?.spec?.volumes ?? [];
  return volumes.find((v) => v.name === 'api' && v.secret?.secretName)?.secret?.secretName ?? DEFAULT_SECRET;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

async function listDaemonSets(client: KubeClient, namespace: string | undefined, problems: string[]): Promise<{ items: DaemonSetObject[]; searched: string }> {
  const query = { labelSelector: COLLECTOR_LABEL_SELECTOR };
  if (namespace === undefined) {
    try {
      const list = await client.request<{ items: DaemonSetObject[] }>('GET', '/apis/apps/v1/daemonsets', { query });
      return { items: list.items, searched: 'all namespaces' };
    } catch (error) {
      if (!isKubeApiError(error, 403)) throw error;
      problems.push(`cannot list DaemonSets in all namespaces (forbidden), so only ${DEFAULT_COLLECTOR_NAMESPACE} was searched`);
      namespace = DEFAULT_COLLECTOR_NAMESPACE;
    }
  }
  const list = await client.request<{ items: DaemonSetObject[] }>('GET', `/apis/apps/v1/namespaces/${encode(namespace)}/daemonsets`, { query });
  return { items: list.items, searched: namespace };
}

function podOf(pod: PodObject, daemonSet: DaemonSetObject): CollectorPod {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const isReady = ready?.status === 'True' && !pod.metadata.deletionTimestamp;
  return {
    namespace: pod.metadata.namespace ?? daemonSet.metadata.namespace ?? '',
    name: pod.metadata.name,
    node: pod.spec?.nodeName ?? '',
    ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}),
    port: apiPortOf(pod.spec?.containers ?? daemonSet.spec?.template?.spec?.containers),
    phase: pod.status?.phase ?? 'Unknown',
    ready: isReady,
    ...(!isReady
      ? { notReadyReason: pod.metadata.deletionTimestamp ? 'terminating' : ready?.message || (ready ? 'Ready condition is False' : 'no Ready condition yet') }
      : {}),
    daemonSet: daemonSet.metadata.name,
  };
}

/** Finds the collector DaemonSets (in `namespace`, or in all namespaces), their pods per node and their Services. */
export async function discoverCollectors(client: KubeClient, options: { namespace?: string } = {}): Promise<CollectorDiscovery> {
  const problems: string[] = [];
  const { items, searched } = await listDaemonSets(client, options.namespace, problems);
  const daemonSets: CollectorDaemonSet[] = [];
  const pods: CollectorPod[] = [];
  for (const daemonSet of items) {
    const namespace = daemonSet.metadata.namespace ?? '';
    const selector = daemonSet.spec?.selector?.matchLabels ?? {};
    if (Object.keys(selector).length === 0) {
      problems.push(`DaemonSet ${namespace}/${daemonSet.metadata.name} has no matchLabels selector; its pods were not looked up`);
      continue;
    }
    const podList = await client.request<{ items: PodObject[] }>('GET', `/api/v1/namespaces/${encode(namespace)}/pods`, { query: { labelSelector: labelSelector(selector) } });
    for (const pod of podList.items) {
      // A pod another controller owns is not this DaemonSet's, even when the labels match.
      const owners = pod.metadata.ownerReferences ?? [];
      if (owners.length > 0 && daemonSet.metadata.uid && !owners.some((o) => o.kind === 'DaemonSet' && o.uid === daemonSet.metadata.uid)) continue;
      pods.push(podOf(pod, daemonSet));
    }
    let services: CollectorDaemonSet['services'] = [];
    try {
      const serviceList = await client.request<{ items: ServiceObject[] }>('GET', `/api/v1/namespaces/${encode(namespace)}/services`);
      const templateLabels = daemonSet.spec?.template?.metadata?.labels ?? selector;
      services = serviceList.items
        .filter((service) => selects(service.spec?.selector, templateLabels))
        .map((service) => ({
          name: service.metadata.name,
          ...(service.spec?.clusterIP && service.spec.clusterIP !== 'None' ? { clusterIP: service.spec.clusterIP } : {}),
          port: (service.spec?.ports?.find((p) => p.name === 'api') ?? service.spec?.ports?.[0])?.port ?? DEFAULT_API_PORT,
        }));
    } catch (error) {
      if (!isKubeApiError(error, 403)) throw error;
      problems.push(`cannot list Services in ${namespace} (forbidden)`);
    }
    daemonSets.push({
      namespace,
      name: daemonSet.metadata.name,
      desired: daemonSet.status?.desiredNumberScheduled ?? 0,
      ready: daemonSet.status?.numberReady ?? 0,
      secretName: secretNameOf(daemonSet),
      services,
    });
  }
  pods.sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name));
  return { searched, daemonSets, pods, problems };
}
