// The collector's view of Kubernetes API calls: HTTP requests it decoded (TLS plaintext through its libssl uprobes,
// or cleartext) whose host is the API server become `k8s.audit`-shaped calls (source "collector"), credited to the
// service account of the pod that made them — the identity a pod's own token carries; an agent that used another
// token shows up under the wrong account, which only the audit log can tell. Connections to the API server whose
// requests could not be decoded are counted per service account. Pure: no Node API.
import type { EventOfKind, RuntimeEvent } from '../../../shared/model/event.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import type { AuditEvent } from './audit-events.js';
import { serviceAccountUserName } from './effective-permissions.js';

/** Where the API server is reached from pods: the `kubernetes` Service, its endpoints, the kubeconfig's server. */
export interface ApiServerAddresses {
  /** "IP:port" pairs (ClusterIP:443, endpoint IP:port, server host:port). */
  sockets: string[];
  /** Host names (and host:port) an HTTP request to the API server carries. */
  hosts: string[];
}

export const IN_CLUSTER_API_HOSTS = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

export function apiServerAddresses(serverUrl: string, kubernetesService?: KubeObject, kubernetesEndpoints?: KubeObject): ApiServerAddresses {
  const sockets = new Set<string>();
  const hosts = new Set<string>(IN_CLUSTER_API_HOSTS);
  const server = new URL(serverUrl);
  const serverPort = server.port || (server.protocol === 'http:' ? '80' : '443');
  const serverHost = server.hostname.replace(/^\[|\]$/g, '');
  sockets.add(`${serverHost}:${serverPort}`);
  hosts.add(serverHost).add(`${serverHost}:${serverPort}`);
  const spec = kubernetesService?.spec as { clusterIP?: string; ports?: { port: number }[] } | undefined;
  for (const port of spec?.ports ?? []) {
    if (spec?.clusterIP) {
      sockets.add(`${spec.clusterIP}:${port.port}`);
      hosts.add(spec.clusterIP).add(`${spec.clusterIP}:${port.port}`);
    }
    for (const name of IN_CLUSTER_API_HOSTS) hosts.add(`${name}:${port.port}`);
  }
  const subsets = (kubernetesEndpoints as { subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[] } | undefined)?.subsets ?? [];
  for (const subset of subsets) {
    for (const address of subset.addresses ?? []) {
      for (const port of subset.ports ?? []) {
        sockets.add(`${address.ip}:${port.port}`);
        hosts.add(address.ip).add(`${address.ip}:${port.port}`);
      }
    }
  }
  return { sockets: [...sockets], hosts: [...hosts] };
}

interface ParsedRequest {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** An API server request path and method as the authorizer sees them (RequestInfo), or undefined for non-resource URLs. */
export function requestInfo(method: string, rawPath: string): ParsedRequest | undefined {
  const url = new URL(rawPath, 'https://apiserver');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let apiGroup: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    apiGroup = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    apiGroup = parts[1]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // "namespaces/NS/RESOURCE…" is namespaced; "namespaces" or "namespaces/NS" alone is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource) return undefined;
  const m = method.toUpperCase();
  const watch = watchPath || url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  let verb: string;
  if (m === 'GET' || m === 'HEAD') verb = watch ? 'watch' : name ? 'get' : 'list';
  else if (m === 'POST') verb = 'create';
  else if (m === 'PUT') verb = 'update';
  else if (m === 'PATCH') verb = 'patch';
  else if (m === 'DELETE') verb = name ? 'delete' : 'deletecollection';
  else return undefined;
  return { verb, apiGroup, resource, ...(subresource ? { subresource } : {}), ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
}

export interface CollectorApiView {
  /** Calls decoded from HTTP requests to the API server, as k8s.audit events with source "collector". */
  calls: AuditEvent[];
  /** Per service-account user name: connections to the API server the collector saw. */
  connections: Map<string, number>;
  /** Requests to the API server from processes outside any pod (the node itself): not a workload's identity. */
  fromOutsidePods: number;
}

function serviceAccountOf(pods: Map<string, string>, event: RuntimeEvent): string | undefined {
  if (!event.pod) return undefined;
  const serviceAccount = pods.get(`${event.pod.namespace}/${event.pod.name}`);
  return serviceAccount === undefined ? undefined : serviceAccountUserName(event.pod.namespace, serviceAccount);
}

export function collectorApiView(events: Iterable<RuntimeEvent>, pods: KubeObject[], addresses: ApiServerAddresses): CollectorApiView {
  const serviceAccounts = new Map<string, string>();
  for (const pod of pods) {
    const spec = pod.spec as { serviceAccountName?: string } | undefined;
    serviceAccounts.set(`${pod.metadata.namespace}/${pod.metadata.name}`, spec?.serviceAccountName || 'default');
  }
  const sockets = new Set(addresses.sockets);
  const hosts = new Set(addresses.hosts.map((h) => h.toLowerCase()));
  const view: CollectorApiView = { calls: [], connections: new Map(), fromOutsidePods: 0 };
  for (const event of events) {
    if (event.kind === 'net.connect') {
      const d = event.details;
      if (!sockets.has(`${d.dstIp}:${d.dstPort}`) && !(d.dnsName && hosts.has(d.dnsName.toLowerCase()))) continue;
      const user = serviceAccountOf(serviceAccounts, event);
      if (user) view.connections.set(user, (view.connections.get(user) ?? 0) + 1);
      continue;
    }
    if (event.kind !== 'http.request') continue;
    const request = event as EventOfKind<'http.request'>;
    if (!hosts.has(request.details.host.toLowerCase())) continue;
    const user = serviceAccountOf(serviceAccounts, event);
    if (!user) {
      view.fromOutsidePods++;
      continue;
    }
    const info = requestInfo(request.details.method, request.details.path);
    if (!info) continue;
    const [, , namespace, name] = user.split(':');
    view.calls.push({
      id: `collector/${event.id}`.slice(0, 128),
      time: event.time,
      node: event.node,
      source: 'collector',
      pod: event.pod,
      containerId: event.containerId,
      process: event.process,
      kind: 'k8s.audit',
      details: {
        user,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
        verb: info.verb,
        resource: info.resource,
        ...(info.subresource ? { subresource: info.subresource } : {}),
        apiGroup: info.apiGroup,
        ...(info.namespace ? { namespace: info.namespace } : {}),
        ...(info.name ? { name: info.name } : {}),
        ...(request.details.status !== undefined ? { responseCode: request.details.status } : {}),
        userAgent: `seen by the collector on ${event.node} (pod ${event.pod!.namespace}/${event.pod!.name}, service account ${name})`.slice(0, 1024),
      },
    });
  }
  return view;
}
