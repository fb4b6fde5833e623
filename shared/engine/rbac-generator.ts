// RBAC scoped to observed use: a Role (and RoleBinding) per namespace the service account used, a ClusterRole (and
// ClusterRoleBinding) for cluster-wide calls, each rule exactly the verbs, resources and names seen in the audit log
// while the workload's baseline learned.
import type { GeneratedPolicy } from '../model/policy.js';
import type { KubeObject } from '../model/inventory.js';
import type { PolicyRule } from './rbac-resolver.js';
import { requireInventoryPod, type PolicyTarget } from './policy-target.js';

interface RuleDraft {
  apiGroup: string;
  resource: string;
  verbs: Set<string>;
  names: Set<string> | null;
  eventIds: string[];
}

export function generateRbac(target: PolicyTarget): GeneratedPolicy {
  const pod = requireInventoryPod(target, 'RBAC generation');
  const user = `system:serviceaccount:${pod.namespace}:${pod.serviceAccount}`;
  const byScope = new Map<string, Map<string, RuleDraft>>();
  for (const key of [...target.profile.features.get('apiUse')!].sort()) {
    const [keyUser, verb, apiGroup, resource, namespace] = key.split('|') as [string, string, string, string, string];
    if (keyUser !== user) continue;
    const scope = namespace;
    if (!byScope.has(scope)) byScope.set(scope, new Map());
    const rules = byScope.get(scope)!;
    const ruleKey = `${apiGroup}|${resource}`;
    let draft = rules.get(ruleKey);
    if (!draft) rules.set(ruleKey, (draft = { apiGroup, resource, verbs: new Set(), names: new Set(), eventIds: [] }));
    draft.verbs.add(verb);
    const eventId = target.profile.evidence.get(`apiUse|${key}`);
    if (eventId && draft.eventIds.length < 5) draft.eventIds.push(eventId);
  }
  // Names: from the audit events' object names, kept only when every use named an object.
  const names = new Map<string, Set<string>>();
  for (const key of target.profile.features.get('apiObjects')!) {
    const [keyUser, namespace, apiGroup, resource, name] = key.split('|') as [string, string, string, string, string];
    const namesKey = `${keyUser}|${namespace}|${apiGroup}|${resource}`;
    if (!names.has(namesKey)) names.set(namesKey, new Set());
    names.get(namesKey)!.add(name);
  }
  const objects: KubeObject[] = [];
  const justification: { rule: string; eventIds: string[] }[] = [];
  const base = `vigil-observed-${pod.serviceAccount}`.slice(0, 63);
  for (const [scope, rules] of [...byScope.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const policyRules: PolicyRule[] = [...rules.values()].sort((a, b) => (a.resource < b.resource ? -1 : 1)).map((d) => {
      const rule: PolicyRule = { apiGroups: [d.apiGroup], resources: [d.resource], verbs: [...d.verbs].sort() };
      const seen = names.get(`${user}|${scope}|${d.apiGroup}|${d.resource}`);
      if (seen && seen.size > 0 && !seen.has('*')) rule.resourceNames = [...seen].sort();
      justification.push({ rule: `${rule.verbs.join(',')} ${d.resource}${rule.resourceNames ? `/${rule.resourceNames.join(',')}` : ''} ${scope ? `in ${scope}` : 'cluster-wide'}`, eventIds: d.eventIds });
      return rule;
    });
    const subject = { kind: 'ServiceAccount', name: pod.serviceAccount, namespace: pod.namespace };
    const labels = { 'app.kubernetes.io/managed-by': 'vigil' };
    if (scope) {
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: base, namespace: scope, labels }, rules: policyRules });
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: base, namespace: scope, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: base }, subjects: [subject] });
    } else {
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: base, labels }, rules: policyRules });
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: base, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: base }, subjects: [subject] });
    }
  }
  const warnings: string[] = [];
  if (objects.length === 0) warnings.push(`${user} made no Kubernetes API calls during the baseline: it needs no RBAC grants at all (consider automountServiceAccountToken: false)`);
  if (!target.profile.learned) warnings.push(`the baseline of ${target.workload} is still learning: API use may be incomplete`);
  return { kind: 'rbac', pod: target.pod, workload: target.workload, objects, justification, warnings };
}
