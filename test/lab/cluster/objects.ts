// The Kubernetes objects of the lab, derived from topology.ts. Pure functions: the same topology always gives the
// same desired objects, which `lab up` server-side-applies. There is no controller-manager and no kubelet, so the
// lab writes what they would have written: ReplicaSets, Pod status, Endpoints, default ServiceAccounts, Node status.
import {
  CLUSTER_DOMAIN, DNS_SERVICE_IP, LAB_NODE_NAMES, LAB_PODS, POD_GATEWAY, SERVICE_CIDR,
  type LabNodeName, type LabPodSpec,
} from '../topology.js';
import type { KubeObject } from './kube-client.js';

export const LAB_LABEL = { 'app.kubernetes.io/part-of': 'vigil-lab' };
export const AI_ROLE_ANNOTATION = 'vigil.dev/ai-role';
const KUBELET_VERSION = 'v1.32.4';

export function labNamespaces(): string[] {
  return [...new Set(LAB_PODS.map((p) => p.namespace))];
}

export function namespaceObjects(): KubeObject[] {
  return labNamespaces().map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...LAB_LABEL } } }));
}

/** The ConfigMap the root-CA publisher of kube-controller-manager would put in every namespace. */
export function rootCaConfigMaps(caPem: string): KubeObject[] {
  return ['default', 'kube-system', ...labNamespaces()].map((namespace) => ({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace }, data: { 'ca.crt': caPem },
  }));
}

export function serviceAccountObjects(): KubeObject[] {
  const keys = new Set<string>();
  for (const ns of labNamespaces()) keys.add(`${ns}/default`);
  for (const p of LAB_PODS) keys.add(`${p.namespace}/${p.serviceAccount}`);
  return [...keys].map((key) => {
    const [namespace = '', name = ''] = key.split('/');
    return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
  });
}

export function nodeObject(name: LabNodeName): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: {
        ...LAB_LABEL, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'vigil-lab',
      },
    },
    spec: {},
  };
}

/** Node status as a kubelet would report it. Both nodes are this machine, so their address is the lab gateway. */
export function nodeStatus(name: LabNodeName, kernelVersion: string, now: string): KubeObject {
  const condition = (type: string, status: string, reason: string) => ({
    type, status, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now,
  });
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name },
    status: {
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID'),
        condition('Ready', 'True', 'KubeletReady'),
      ],
      addresses: [{ type: 'InternalIP', address: POD_GATEWAY }, { type: 'Hostname', address: name }],
      capacity: { cpu: '2', memory: '12Gi', pods: '110', 'ephemeral-storage': '50Gi' },
      allocatable: { cpu: '2', memory: '11Gi', pods: '110', 'ephemeral-storage': '45Gi' },
      nodeInfo: {
        machineID: '', systemUUID: '', bootID: '', kernelVersion, osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24', kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

/** The ReplicaSet name and pod-template-hash a Deployment's pod name implies (`<deploy>-<hash>-<suffix>`). */
export function replicaSetOf(pod: LabPodSpec): { name: string; templateHash: string } {
  const parts = pod.name.split('-');
  const templateHash = parts.at(-2) ?? '';
  return { name: parts.slice(0, -1).join('-'), templateHash };
}

export function containerName(pod: LabPodSpec): string {
  return pod.owner.kind === 'None' ? pod.name : pod.owner.name;
}

export function containerImage(pod: LabPodSpec): string {
  return `registry.vigil-lab.example/${pod.namespace}/${containerName(pod)}:1.0.0`;
}

/** Labels of the pod itself, including the ones its controller adds. */
export function podLabels(pod: LabPodSpec): Record<string, string> {
  const labels: Record<string, string> = { ...pod.labels };
  if (pod.owner.kind === 'Deployment') labels['pod-template-hash'] = replicaSetOf(pod).templateHash;
  if (pod.owner.kind === 'StatefulSet') {
    labels['statefulset.kubernetes.io/pod-name'] = pod.name;
    labels['apps.kubernetes.io/pod-index'] = pod.name.split('-').at(-1) ?? '0';
    labels['controller-revision-hash'] = `${pod.owner.name}-6d4cf56db6`;
  }
  return labels;
}

function resourcesFor(pod: LabPodSpec): Record<string, unknown> {
  if (pod.qos === 'guaranteed') return { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } };
  if (pod.qos === 'burstable') return { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } };
  return {};
}

export function podTemplate(pod: LabPodSpec): Record<string, unknown> {
  const annotations = pod.declaredAiRole ? { [AI_ROLE_ANNOTATION]: pod.declaredAiRole } : {};
  return {
    metadata: { labels: { ...pod.labels }, annotations },
    spec: {
      serviceAccountName: pod.serviceAccount,
      containers: [{
        name: containerName(pod),
        image: containerImage(pod),
        ports: pod.servicePorts.map((sp) => ({ name: sp.name, containerPort: sp.targetPort, protocol: 'TCP' })),
        resources: resourcesFor(pod),
      }],
    },
  };
}

/** The Deployment/StatefulSet/DaemonSet owning `pod`, or null for a bare pod. */
export function ownerObject(pod: LabPodSpec): KubeObject | null {
  if (pod.owner.kind === 'None') return null;
  const selector = { matchLabels: { ...pod.labels } };
  const spec: Record<string, unknown> = { selector, template: podTemplate(pod) };
  if (pod.owner.kind !== 'DaemonSet') spec.replicas = 1;
  if (pod.owner.kind === 'StatefulSet') spec.serviceName = pod.owner.name;
  return { apiVersion: 'apps/v1', kind: pod.owner.kind, metadata: { name: pod.owner.name, namespace: pod.namespace, labels: { ...pod.labels } }, spec };
}

export interface OwnerRef { apiVersion: string; kind: string; name: string; uid: string; controller: true; blockOwnerDeletion: true }

export function ownerRef(owner: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): OwnerRef {
  if (!owner.metadata.uid) throw new Error(`${owner.kind} ${owner.metadata.name} has no uid yet`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function replicaSetObject(pod: LabPodSpec, deployment: KubeObject): KubeObject {
  const rs = replicaSetOf(pod);
  const labels = { ...pod.labels, 'pod-template-hash': rs.templateHash };
  const template = podTemplate(pod) as { metadata: { labels: Record<string, string> } };
  template.metadata.labels = labels;
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: rs.name, namespace: pod.namespace, labels,
      annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '1' },
      ownerReferences: [ownerRef(deployment)],
    },
    spec: { replicas: 1, selector: { matchLabels: labels }, template },
  };
}

export function podObject(pod: LabPodSpec, controller: KubeObject | null): KubeObject {
  const template = podTemplate(pod) as { metadata: { annotations: Record<string, string> }; spec: Record<string, unknown> };
  const subdomain = pod.owner.kind === 'StatefulSet' ? { hostname: pod.name, subdomain: pod.owner.name } : {};
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: pod.name, namespace: pod.namespace, labels: podLabels(pod), annotations: template.metadata.annotations,
      ...(controller ? { ownerReferences: [ownerRef(controller)] } : {}),
    },
    spec: { ...template.spec, nodeName: pod.node, restartPolicy: 'Always', ...subdomain },
  };
}

/** Pod status as the kubelet would write it once the container runs. */
export function podStatus(pod: LabPodSpec, containerId: string, startedAt: string): KubeObject {
  const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: startedAt });
  const qosClass = { guaranteed: 'Guaranteed', burstable: 'Burstable', besteffort: 'BestEffort' }[pod.qos];
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: pod.name, namespace: pod.namespace },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
      hostIP: POD_GATEWAY, hostIPs: [{ ip: POD_GATEWAY }],
      podIP: pod.ip, podIPs: [{ ip: pod.ip }],
      startTime: startedAt,
      qosClass,
      containerStatuses: [{
        name: containerName(pod), image: containerImage(pod),
        imageID: `${containerImage(pod).replace(/:[^:]+$/, '')}@sha256:${containerId.split('').reverse().join('')}`,
        containerID: `containerd://${containerId}`,
        ready: true, started: true, restartCount: 0,
        state: { running: { startedAt } },
      }],
    },
  };
}

/** Status of the owning workload once its one pod is ready. */
export function ownerStatus(pod: LabPodSpec): KubeObject | null {
  if (pod.owner.kind === 'None') return null;
  const base = { apiVersion: 'apps/v1', kind: pod.owner.kind, metadata: { name: pod.owner.name, namespace: pod.namespace } };
  if (pod.owner.kind === 'DaemonSet') {
    return { ...base, status: { currentNumberScheduled: 1, desiredNumberScheduled: 1, numberReady: 1, numberAvailable: 1, numberMisscheduled: 0, updatedNumberScheduled: 1, observedGeneration: 1 } };
  }
  return { ...base, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 } };
}

export function replicaSetStatus(pod: LabPodSpec): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: replicaSetOf(pod).name, namespace: pod.namespace },
    status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1 },
  };
}

/** Fixed ClusterIPs (so DNS and the service NAT rules can be written before the apiserver answers). */
export function serviceClusterIp(pod: LabPodSpec): string {
  const index = LAB_PODS.filter((p) => p.servicePorts.length > 0).indexOf(pod);
  if (index < 0) throw new Error(`${pod.namespace}/${pod.name} has no service ports`);
  const prefix = SERVICE_CIDR.split('.').slice(0, 3).join('.');
  return `${prefix}.${100 + index}`;
}

export interface LabService { namespace: string; name: string; clusterIp: string; pod: LabPodSpec }

export function labServices(): LabService[] {
  return LAB_PODS.filter((p) => p.servicePorts.length > 0)
    .map((pod) => ({ namespace: pod.namespace, name: containerName(pod), clusterIp: serviceClusterIp(pod), pod }));
}

export function serviceObject(svc: LabService): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name: svc.name, namespace: svc.namespace, labels: { ...svc.pod.labels } },
    spec: {
      type: 'ClusterIP', clusterIP: svc.clusterIp, clusterIPs: [svc.clusterIp], selector: { ...svc.pod.labels },
      ports: svc.pod.servicePorts.map((sp) => ({ name: sp.name, port: sp.port, targetPort: sp.targetPort, protocol: 'TCP' })),
    },
  };
}

export function endpointsObject(svc: LabService, podUid: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.name, namespace: svc.namespace, labels: { ...svc.pod.labels } },
    subsets: [{
      addresses: [{ ip: svc.pod.ip, nodeName: svc.pod.node, targetRef: { kind: 'Pod', namespace: svc.namespace, name: svc.pod.name, uid: podUid } }],
      ports: svc.pod.servicePorts.map((sp) => ({ name: sp.name, port: sp.targetPort, protocol: 'TCP' })),
    }],
  };
}

export function endpointSliceObject(svc: LabService, podUid: string): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `${svc.name}-lab`, namespace: svc.namespace, labels: { 'kubernetes.io/service-name': svc.name, 'endpointslice.kubernetes.io/managed-by': 'vigil-lab' } },
    addressType: 'IPv4',
    endpoints: [{
      addresses: [svc.pod.ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: svc.pod.node,
      targetRef: { kind: 'Pod', namespace: svc.namespace, name: svc.pod.name, uid: podUid },
    }],
    ports: svc.pod.servicePorts.map((sp) => ({ name: sp.name, port: sp.targetPort, protocol: 'TCP' })),
  };
}

/** kube-dns: the cluster DNS Service at DNS_SERVICE_IP; the lab's dnsmasq on the gateway answers for it. */
export function dnsServiceObjects(): KubeObject[] {
  const ports = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }];
  return [
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: { clusterIP: DNS_SERVICE_IP, clusterIPs: [DNS_SERVICE_IP], selector: { 'k8s-app': 'kube-dns' }, ports: ports.map((p) => ({ ...p, targetPort: 53 })) },
    },
    {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kube-dns', namespace: 'kube-system' },
      subsets: [{ addresses: [{ ip: POD_GATEWAY }], ports }],
    },
  ];
}

export const LAB_NODES = LAB_NODE_NAMES;
export const CLUSTER_DNS_SEARCH = (namespace: string): string[] =>
  [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
