// Groups for the shared lanes of a big graph — APIs by domain (or by namespace for in-cluster services, by /16 for
// addresses), files by directory, Kubernetes objects by resource and namespace, service accounts by namespace. At
// 10,000 nodes the API and data lanes hold thousands of single hosts and files; drawn one by one they are a wall of
// dots under tens of thousands of edges. Grouped, the overview says which workloads talk to which domains and touch
// which directories, and a group opens on demand.
import type { GraphNode } from '../../../../shared/model/graph.js';

export interface SharedGroup {
  id: string;
  label: string;
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function apiGroup(rest: string): string | null {
  const host = rest.replace(/:\d+$/, '');
  if (IPV4.test(host)) return `${host.split('.').slice(0, 2).join('.')}.*`;
  if (host.includes(':')) return null;
  const labels = host.split('.');
  if (host.endsWith('.svc.cluster.local') && labels.length >= 5) return `*.${labels.slice(-4).join('.')}`;
  if (labels.length < 3) return null;
  return `*.${labels.slice(-2).join('.')}`;
}

function directoryOf(path: string): string | null {
  const cut = path.lastIndexOf('/');
  return cut > 0 ? `${path.slice(0, cut)}/*` : null;
}

/** The group a shared node belongs to, or null when it stands alone (a node of a workload is never grouped here). */
export function sharedGroupOf(node: Pick<GraphNode, 'id' | 'kind' | 'workload'>): SharedGroup | null {
  if (node.workload) return null;
  const colon = node.id.indexOf(':');
  const rest = node.id.slice(colon + 1);
  let key: string | null = null;
  if (node.kind === 'api') key = apiGroup(rest);
  else if (node.kind === 'data') {
    if (rest.startsWith('file:')) key = directoryOf(rest.slice(5));
    else if (rest.startsWith('k8s:')) key = `k8s ${rest.slice(4).split('/').slice(0, 2).join(' in ')}`;
    else if (rest.startsWith('model:')) key = 'models';
  } else if (node.kind === 'identity') {
    const account = /^system:serviceaccount:([^:]+):/.exec(rest);
    if (account) key = `service accounts of ${account[1]}`;
    else if (rest.startsWith('file:')) key = directoryOf(rest.slice(5));
  }
  return key === null ? null : { id: `group:${node.kind}:${key}`, label: key };
}

/** The shared groups of a graph with at least two members: the ones worth collapsing. */
export function sharedGroupsOf(nodes: readonly GraphNode[]): Set<string> {
  const sizes = new Map<string, number>();
  for (const node of nodes) {
    const group = sharedGroupOf(node);
    if (group) sizes.set(group.id, (sizes.get(group.id) ?? 0) + 1);
  }
  return new Set([...sizes].filter(([, size]) => size >= 2).map(([id]) => id));
}
