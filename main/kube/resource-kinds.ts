// The resource kinds Vigil's inventory keeps, and how to address them on the API server.

export interface ResourceKind {
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /**
   * Listed and watched as metadata only (PartialObjectMetadata): Vigil needs to know which Secrets exist (blast radius,
   * who can read them) but never their data, which then never reaches this process.
   */
  metadataOnly?: boolean;
}

export function apiVersionOf(kind: Pick<ResourceKind, 'group' | 'version'>): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** The collection path: cluster-wide, or one namespace's for a namespaced kind. */
export function collectionPath(kind: ResourceKind, namespace?: string): string {
  const prefix = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  return kind.namespaced && namespace ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}` : `${prefix}/${kind.plural}`;
}

export function objectPath(kind: ResourceKind, name: string, namespace?: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

const k = (kind: string, group: string, version: string, plural: string, namespaced: boolean): ResourceKind => ({ kind, group, version, plural, namespaced });

export const KINDS = {
  Namespace: k('Namespace', '', 'v1', 'namespaces', false),
  Node: k('Node', '', 'v1', 'nodes', false),
  Pod: k('Pod', '', 'v1', 'pods', true),
  Service: k('Service', '', 'v1', 'services', true),
  ServiceAccount: k('ServiceAccount', '', 'v1', 'serviceaccounts', true),
  Secret: { ...k('Secret', '', 'v1', 'secrets', true), metadataOnly: true },
  Deployment: k('Deployment', 'apps', 'v1', 'deployments', true),
  ReplicaSet: k('ReplicaSet', 'apps', 'v1', 'replicasets', true),
  StatefulSet: k('StatefulSet', 'apps', 'v1', 'statefulsets', true),
  DaemonSet: k('DaemonSet', 'apps', 'v1', 'daemonsets', true),
  Job: k('Job', 'batch', 'v1', 'jobs', true),
  CronJob: k('CronJob', 'batch', 'v1', 'cronjobs', true),
  Ingress: k('Ingress', 'networking.k8s.io', 'v1', 'ingresses', true),
  NetworkPolicy: k('NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies', true),
  Role: k('Role', 'rbac.authorization.k8s.io', 'v1', 'roles', true),
  ClusterRole: k('ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', false),
  RoleBinding: k('RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'rolebindings', true),
  ClusterRoleBinding: k('ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', false),
} satisfies Record<string, ResourceKind>;

export type KindName = keyof typeof KINDS;

/** What the inventory lists and watches, in a sensible display order. */
export const INVENTORY_KINDS: ResourceKind[] = Object.values(KINDS);

export const RBAC_KINDS: ResourceKind[] = [KINDS.ServiceAccount, KINDS.Role, KINDS.ClusterRole, KINDS.RoleBinding, KINDS.ClusterRoleBinding];
