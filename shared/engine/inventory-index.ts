// Lookups over the latest inventory snapshots: pods by name and IP, services by cluster IP, workloads, declared AI
// roles, namespaces, NetworkPolicies and RBAC objects. Later snapshots of the same cluster replace earlier ones.
import type { InventorySnapshot, KubeObject } from '../model/inventory.js';
import { matchesSelector, type LabelSelector } from './label-selector.js';

/** Annotation and label keys a platform team uses to declare a workload's AI role; any of them counts. */
export const DECLARED_AI_ROLE_KEYS = ['vigil.dev/ai-role', 'ai.vigil.dev/role', 'vigil.dev/declared-ai-role', 'ai-role'];

export interface PodInfo {
  namespace: string;
  name: string;
  uid: string;
  ip: string | null;
  labels: Record<string, string>;
  serviceAccount: string;
  workload: string;
  declaredAiRole: string | null;
  object: KubeObject;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  clusterIp: string | null;
  selector: Record<string, string> | null;
  ports: { name?: string; port: number; targetPort: number | string; protocol: string }[];
}

interface PodSpecLike {
  serviceAccountName?: string;
  serviceAccount?: string;
}

function specOf<T>(object: KubeObject): T {
  return (object.spec ?? {}) as T;
}

/** Workload name from a pod name when no ownerReferences say better: Deployment and StatefulSet naming. */
export function workloadNameFromPodName(podName: string): string {
  const deployment = /^(.*)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(podName);
  if (deployment?.[1]) return deployment[1];
  const statefulSet = /^(.*)-\d+$/.exec(podName);
  if (statefulSet?.[1]) return statefulSet[1];
  return podName;
}

export class InventoryIndex {
  readonly objects: KubeObject[];
  private readonly podsByKey = new Map<string, PodInfo>();
  private readonly podsByIp = new Map<string, PodInfo>();
  private readonly servicesByIp = new Map<string, ServiceInfo>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  readonly services: ServiceInfo[] = [];
  readonly hasObjects: boolean;

  constructor(snapshots: readonly InventorySnapshot[]) {
    const latest = new Map<string, InventorySnapshot>();
    for (const snapshot of [...snapshots].sort((a, b) => (a.capturedAt < b.capturedAt ? -1 : a.capturedAt > b.capturedAt ? 1 : 0))) {
      latest.set(`${snapshot.clusterId}|${snapshot.context}`, snapshot);
    }
    this.objects = [...latest.values()].flatMap((s) => s.objects);
    this.hasObjects = this.objects.length > 0;
    const replicaSetOwners = new Map<string, string>();
    for (const object of this.objects) {
      if (object.kind === 'ReplicaSet') {
        const owner = object.metadata.ownerReferences?.find((o) => o.kind === 'Deployment');
        if (owner) replicaSetOwners.set(`${object.metadata.namespace}/${object.metadata.name}`, owner.name);
      }
      if (object.kind === 'Namespace') {
        this.namespaceLabels.set(object.metadata.name, { 'kubernetes.io/metadata.name': object.metadata.name, ...(object.metadata.labels ?? {}) });
      }
    }
    for (const object of this.objects) {
      const namespace = object.metadata.namespace ?? 'default';
      if (object.kind === 'Pod') {
        const spec = specOf<PodSpecLike>(object);
        const status = (object.status ?? {}) as { podIP?: string };
        const owner = object.metadata.ownerReferences?.[0];
        let ownerName = owner?.name ?? workloadNameFromPodName(object.metadata.name);
        if (owner?.kind === 'ReplicaSet') ownerName = replicaSetOwners.get(`${namespace}/${owner.name}`) ?? workloadNameFromPodName(object.metadata.name);
        const declared = DECLARED_AI_ROLE_KEYS.map((k) => object.metadata.annotations?.[k] ?? object.metadata.labels?.[k]).find((v) => v);
        const pod: PodInfo = {
          namespace,
          name: object.metadata.name,
          uid: object.metadata.uid ?? '',
          ip: status.podIP ?? null,
          labels: object.metadata.labels ?? {},
          serviceAccount: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
          workload: `${namespace}/${ownerName}`,
          declaredAiRole: declared ?? null,
          object,
        };
        this.podsByKey.set(`${namespace}/${pod.name}`, pod);
        if (pod.ip) this.podsByIp.set(pod.ip, pod);
      }
      if (object.kind === 'Service') {
        const spec = specOf<{ clusterIP?: string; selector?: Record<string, string>; ports?: ServiceInfo['ports'] }>(object);
        const service: ServiceInfo = {
          namespace,
          name: object.metadata.name,
          clusterIp: spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : null,
          selector: spec.selector ?? null,
          ports: (spec.ports ?? []).map((p) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
        };
        this.services.push(service);
        if (service.clusterIp) this.servicesByIp.set(service.clusterIp, service);
      }
      if (!this.namespaceLabels.has(namespace)) this.namespaceLabels.set(namespace, { 'kubernetes.io/metadata.name': namespace });
    }
  }

  pod(key: string): PodInfo | undefined {
    return this.podsByKey.get(key);
  }

  podByIp(ip: string): PodInfo | undefined {
    return this.podsByIp.get(ip);
  }

  serviceByIp(ip: string): ServiceInfo | undefined {
    return this.servicesByIp.get(ip);
  }

  pods(): PodInfo[] {
    return [...this.podsByKey.values()];
  }

  namespaceLabelsOf(namespace: string): Record<string, string> {
    return this.namespaceLabels.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace };
  }

  namespaces(): string[] {
    return [...this.namespaceLabels.keys()].sort();
  }

  /** Pods a Service sends traffic to (its selector over pods of its namespace). */
  backendsOf(service: ServiceInfo): PodInfo[] {
    if (!service.selector) return [];
    return this.pods().filter((p) => p.namespace === service.namespace && matchesSelector({ matchLabels: service.selector! }, p.labels));
  }

  ofKind(kind: string): KubeObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  podsSelectedBy(namespace: string, selector: LabelSelector | undefined): PodInfo[] {
    return this.pods().filter((p) => p.namespace === namespace && matchesSelector(selector ?? {}, p.labels));
  }
}
