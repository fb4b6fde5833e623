// RBAC of the lab: the responder and auditor users, and the pods' service accounts — research-agent deliberately
// over-privileged (cluster-wide read of secrets it never needs), everyone else with a modest namespaced Role.
import { LAB_PODS } from '../topology.js';
import { AUDITOR_GROUP, RESPONDER_GROUP } from '../controlplane/credentials.js';
import { LAB_CONTEXTS } from '../lab-state.js';
import type { KubeObject } from './kube-client.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const READ = ['get', 'list', 'watch'];

/** The service account that can read every secret in the cluster although its workload never does. */
export const OVERPRIVILEGED_SERVICE_ACCOUNT = { namespace: 'agents', name: 'research-agent' } as const;

/** Core resources the auditor may read: everything but secrets and the pods' subresources other than their logs. */
const AUDITOR_CORE_RESOURCES = [
  'pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'namespaces', 'nodes', 'serviceaccounts', 'events',
  'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers', 'resourcequotas', 'limitranges',
];

export function userRbacObjects(): KubeObject[] {
  const responderRules = [
    { apiGroups: ['*'], resources: ['*'], verbs: READ },
    { nonResourceURLs: ['*'], verbs: ['get'] },
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'update', 'patch', 'delete'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['patch', 'update'] },
    // Hard quarantine revokes a service account from (Cluster)RoleBindings; promotion swaps them for a scoped Role.
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'clusterrolebindings'], verbs: ['create', 'update', 'patch', 'delete'] },
    // The scoped Role a promotion applies. Creating a role still passes the API server's escalation check: the
    // responder can only write rules it holds itself (reads), so an evidence-based Role asking for more is refused.
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['create', 'update', 'patch', 'delete'] },
    // Binding a role needs `bind` on it (RBAC escalation check), otherwise a responder could only bind its own rights.
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'], verbs: ['bind'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['patch', 'update'] },
    { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale', 'replicasets/scale'], verbs: ['update', 'patch'] },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['patch'] },
  ];
  // Read-only like Kubernetes' own `view` role: every object a review needs, but not Secrets (their data is not the
  // auditor's to see) and none of the pods' subresources (exec, attach and port-forward upgrade on a plain `get`).
  const auditorRules = [
    { apiGroups: [''], resources: AUDITOR_CORE_RESOURCES, verbs: READ },
    { apiGroups: ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'discovery.k8s.io', 'apiextensions.k8s.io', 'security-profiles-operator.x-k8s.io'], resources: ['*'], verbs: READ },
    { nonResourceURLs: ['*'], verbs: ['get'] },
  ];
  return [
    clusterRole(LAB_CONTEXTS.responder, responderRules),
    clusterRoleBinding(LAB_CONTEXTS.responder, LAB_CONTEXTS.responder, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: RESPONDER_GROUP }]),
    clusterRole(LAB_CONTEXTS.auditor, auditorRules),
    clusterRoleBinding(LAB_CONTEXTS.auditor, LAB_CONTEXTS.auditor, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: AUDITOR_GROUP }]),
  ];
}

export function serviceAccountRbacObjects(): KubeObject[] {
  const objects: KubeObject[] = [];
  const seen = new Set<string>();
  for (const pod of LAB_PODS) {
    const key = `${pod.namespace}/${pod.serviceAccount}`;
    if (seen.has(key) || pod.serviceAccount === 'default') continue;
    seen.add(key);
    const name = pod.serviceAccount;
    // What the workload actually needs: read its own namespace's configmaps.
    objects.push({
      apiVersion: RBAC, kind: 'Role', metadata: { name, namespace: pod.namespace },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: READ }],
    });
    objects.push({
      apiVersion: RBAC, kind: 'RoleBinding', metadata: { name, namespace: pod.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: pod.namespace }],
    });
  }
  const over = OVERPRIVILEGED_SERVICE_ACCOUNT;
  objects.push(clusterRole(`${over.name}-secrets-reader`, [{ apiGroups: [''], resources: ['secrets'], verbs: READ }]));
  objects.push(clusterRoleBinding(`${over.name}-secrets-reader`, `${over.name}-secrets-reader`,
    [{ kind: 'ServiceAccount', name: over.name, namespace: over.namespace }]));
  return objects;
}

function clusterRole(name: string, rules: unknown[]): KubeObject {
  return { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'vigil-lab' } }, rules };
}

function clusterRoleBinding(name: string, role: string, subjects: unknown[]): KubeObject {
  return {
    apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'vigil-lab' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects,
  };
}
