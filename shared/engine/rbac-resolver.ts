// What a service account may do: RoleBindings and ClusterRoleBindings naming it (directly, or through the
// service-account groups), with aggregated ClusterRoles expanded from their label selectors, as the API server does.
import type { KubeObject } from '../model/inventory.js';
import { matchesSelector, type LabelSelector } from './label-selector.js';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface GrantedRule {
  rule: PolicyRule;
  /** Namespace the grant applies in, or null for cluster-wide. */
  namespace: string | null;
  /** `RoleBinding ns/name → ClusterRole name`, for explanations. */
  via: string;
}

export interface ApiRequest {
  verb: string;
  apiGroup: string;
  /** `resource` or `resource/subresource`. */
  resource: string;
  namespace: string | null;
  name: string | null;
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

function rulesOf(role: KubeObject): PolicyRule[] {
  return ((role as { rules?: PolicyRule[] }).rules ?? []).filter((r) => Array.isArray(r.verbs));
}

/** A ClusterRole's rules including those aggregated into it by label selectors. */
export function clusterRoleRules(name: string, objects: readonly KubeObject[]): PolicyRule[] {
  const clusterRoles = objects.filter((o) => o.kind === 'ClusterRole');
  const role = clusterRoles.find((r) => r.metadata.name === name);
  if (!role) return [];
  const selectors = ((role as { aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } }).aggregationRule?.clusterRoleSelectors ?? []);
  const aggregated = selectors.length === 0 ? [] : clusterRoles.filter((r) => r !== role && selectors.some((s) => matchesSelector(s, r.metadata.labels)));
  return [...rulesOf(role), ...aggregated.flatMap(rulesOf)];
}

function subjectMatches(subject: Subject, namespace: string, name: string): boolean {
  if (subject.kind === 'ServiceAccount') return subject.name === name && (subject.namespace ?? '') === namespace;
  if (subject.kind === 'User') return subject.name === `system:serviceaccount:${namespace}:${name}`;
  if (subject.kind === 'Group') return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'].includes(subject.name);
  return false;
}

export function grantsFor(namespace: string, name: string, objects: readonly KubeObject[]): GrantedRule[] {
  const grants: GrantedRule[] = [];
  for (const binding of objects) {
    if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') continue;
    const b = binding as unknown as { subjects?: Subject[]; roleRef?: { kind: string; name: string } };
    if (!b.roleRef || !(b.subjects ?? []).some((s) => subjectMatches(s, namespace, name))) continue;
    const bindingNamespace = binding.kind === 'RoleBinding' ? binding.metadata.namespace ?? 'default' : null;
    let rules: PolicyRule[];
    if (b.roleRef.kind === 'ClusterRole') rules = clusterRoleRules(b.roleRef.name, objects);
    else rules = rulesOf(objects.find((o) => o.kind === 'Role' && o.metadata.name === b.roleRef!.name && (o.metadata.namespace ?? 'default') === bindingNamespace) ?? ({ apiVersion: '', kind: '', metadata: { name: '' } } as KubeObject));
    const via = `${binding.kind} ${bindingNamespace ? `${bindingNamespace}/` : ''}${binding.metadata.name} → ${b.roleRef.kind} ${b.roleRef.name}`;
    for (const rule of rules) grants.push({ rule, namespace: bindingNamespace, via });
  }
  return grants;
}

const matchList = (list: string[] | undefined, value: string) => (list ?? []).includes('*') || (list ?? []).includes(value);

export function ruleAllows(rule: PolicyRule, request: ApiRequest): boolean {
  if (!matchList(rule.verbs, request.verb)) return false;
  if (!matchList(rule.apiGroups, request.apiGroup)) return false;
  const [resource, subresource] = request.resource.split('/');
  const resourceOk = matchList(rule.resources, request.resource) || (subresource === undefined && matchList(rule.resources, resource!)) || (rule.resources ?? []).includes(`*/${subresource}`);
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) return request.name !== null && rule.resourceNames.includes(request.name);
  return true;
}

export function grantsAllow(grants: readonly GrantedRule[], request: ApiRequest): GrantedRule | null {
  for (const grant of grants) {
    if (grant.namespace !== null && grant.namespace !== request.namespace) continue;
    if (ruleAllows(grant.rule, request)) return grant;
  }
  return null;
}

export function describeRule(grant: GrantedRule): string[] {
  const out: string[] = [];
  for (const verb of grant.rule.verbs) {
    for (const resource of grant.rule.resources ?? grant.rule.nonResourceURLs ?? []) {
      const groups = (grant.rule.apiGroups ?? ['']).map((g) => (g === '' ? 'core' : g)).join(',');
      out.push(`${verb} ${resource}${grant.rule.resourceNames?.length ? `/${grant.rule.resourceNames.join(',')}` : ''} (${groups}) ${grant.namespace ? `in ${grant.namespace}` : 'cluster-wide'}`);
    }
  }
  return out;
}
